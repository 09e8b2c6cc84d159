import { describe, expect, it } from 'vitest';
import { describeLlmContract } from '../contract.js';
import type { AgentHint, ChatMessage, ResolvedRequest, ToolDefinition } from '../types.js';
import { createOfflineProvider, OFFLINE_MODE_HINT, offlineReply } from './engine.js';
import { detectLanguage } from './language.js';

const kioskTools: ToolDefinition[] = [
  { name: 'get_opening_hours', description: 'Opening hours of the gym', parameters: { type: 'object', properties: {} } },
  {
    name: 'get_class_schedule',
    description: 'Group classes',
    parameters: { type: 'object', properties: { day: { type: 'string' }, class_type: { type: 'string' } } },
  },
  {
    name: 'report_issue',
    description: 'Create a maintenance ticket',
    parameters: {
      type: 'object',
      properties: { description: { type: 'string' }, equipment: { type: 'string' }, severity: { type: 'string', enum: ['low', 'medium', 'high'] } },
      required: ['description', 'severity'],
    },
  },
  {
    name: 'book_coach',
    description: 'Book a personal coach',
    parameters: {
      type: 'object',
      properties: { coach: { type: 'string' }, day: { type: 'string' }, time: { type: 'string' } },
      required: ['day'],
    },
  },
  { name: 'get_equipment_help', description: 'How to use a machine', parameters: { type: 'object', properties: { equipment: { type: 'string' } } } },
  { name: 'nutrition_advice', description: 'Nutrition tips', parameters: { type: 'object', properties: { goal: { type: 'string' } } } },
];

describeLlmContract('offline engine', {
  provider: () => createOfflineProvider(),
  exactUsage: false,
  textCase: () => ({ messages: [{ role: 'user', content: 'I feel nervous about my first date.' }], agent: { kind: 'chat' } }),
  longCase: () => ({ messages: [{ role: 'user', content: 'I want to build more confidence.' }], agent: { kind: 'chat' } }),
  toolCallCase: {
    arrange: () => ({
      request: { messages: [{ role: 'user', content: 'What are your opening hours?' }], tools: kioskTools, agent: { kind: 'kiosk' } },
      tool: 'get_opening_hours',
    }),
  },
  failureCase: { unsupported: 'the offline engine runs in-process with no upstream or model file to fail' },
});

function ask(messages: ChatMessage[], agent?: AgentHint, extra: Partial<ResolvedRequest> = {}): { text: string; language: string; toolCalls: Array<{ name: string; arguments: Record<string, unknown> }> } {
  const request: ResolvedRequest = { messages, tools: [], temperature: 0.7, maxTokens: 1000, timeoutMs: 1000, ...extra };
  if (agent !== undefined) request.agent = agent;
  const { reply, language } = offlineReply(request);
  return { text: reply.text, language, toolCalls: reply.toolCalls ?? [] };
}
const user = (content: string): ChatMessage => ({ role: 'user', content });
const assistant = (content: string): ChatMessage => ({ role: 'assistant', content });

describe('offline engine: language and honesty', () => {
  it('detects French and English, and stays undecided without a signal', () => {
    expect(detectLanguage("Bonjour, je voudrais savoir à quelle heure ouvre la salle")).toBe('fr');
    expect(detectLanguage('Hello, what time does the gym open tomorrow?')).toBe('en');
    expect(detectLanguage('ok')).toBeUndefined();
  });

  it('replies in the language of the user, or of the explicit hint', () => {
    expect(ask([user("J'ai peur de mon premier rendez-vous")]).language).toBe('fr');
    expect(ask([user('I am scared of my first date')]).language).toBe('en');
    expect(ask([user('I am scared of my first date')], undefined, { language: 'fr' }).language).toBe('fr');
    // A short message keeps the language of the conversation so far.
    expect(ask([user("Je suis timide avec les filles"), assistant('…'), user('ok')]).language).toBe('fr');
  });

  it('says it is the offline engine when asked, in both languages and every agent', () => {
    expect(ask([user('Are you an AI or a real person?')]).text).toMatch(/offline engine.*not an AI model/);
    expect(ask([user('Es-tu une IA ?')], { kind: 'kiosk' }).text).toMatch(/moteur hors ligne.*pas un modèle d'IA/);
    expect(ask([user('Hello'), assistant('Hi'), user('wait, are you a bot?')], { kind: 'roleplay' }).text).toMatch(
      /offline engine.*Back in character/,
    );
    expect(OFFLINE_MODE_HINT.en).toMatch(/OPENAI_API_KEY/);
    expect(OFFLINE_MODE_HINT.fr).toMatch(/Mode hors ligne/);
  });

  it('is deterministic', () => {
    const messages = [user('I keep procrastinating on my goals')];
    expect(ask(messages).text).toBe(ask(messages).text);
  });
});

describe('offline engine: chat coach', () => {
  it('answers common coaching intents in English', () => {
    expect(ask([user('I get so nervous before a date')], { kind: 'chat' }).text).toMatch(/nervous|breath/i);
    expect(ask([user('She ghosted me after two dates')], { kind: 'chat' }).text).toMatch(/Rejection|hurts/);
    expect(ask([user('What should I text her first?')], { kind: 'chat' }).text).toMatch(/message|question/);
  });

  it('answers common coaching intents in French', () => {
    expect(ask([user("Je stresse pour mon premier rendez-vous demain")], { kind: 'chat' }).text).toMatch(/stressé|trac/);
    expect(ask([user("Je manque de confiance en moi")], { kind: 'chat' }).text).toMatch(/confiance|ne vous définit pas/);
  });

  it('refuses manipulation and redirects to respect and consent', () => {
    expect(ask([user('How do I make her jealous so she wants me?')], { kind: 'chat' }).text).toMatch(/won't help|consent/);
    expect(ask([user('Comment la rendre jalouse pour qu’elle revienne ?')], { kind: 'chat' }).text).toMatch(/consentement/);
  });

  it('gives crisis resources before anything else', () => {
    expect(ask([user('I want to kill myself')], { kind: 'chat' }).text).toMatch(/988/);
    expect(ask([user('J’ai envie de mourir')], { kind: 'roleplay' }).text).toMatch(/3114/);
  });

  it('reflects what the user said when no intent matches, ending with a question', () => {
    const { text } = ask([user('My sister got married and everybody asks me when it is my turn.')], { kind: 'chat' });
    expect(text).toContain('"My sister got married and everybody asks me when it…"');
    expect(text.trim().endsWith('?')).toBe(true);
  });
});

describe('offline engine: roleplay persona', () => {
  const agent: AgentHint = {
    kind: 'roleplay',
    persona: { name: 'Claire', role: 'CFO', company: 'Acme' },
    scenario: { objections: ['Your price is too high for our budget.', 'We have no time to switch tools this quarter.'] },
  };
  const opening = 'Hello Claire, thanks for your time today.';
  const weak = 'Our product is great, trust me.';
  const good1 = 'I understand the budget concern. Our clients cut their costs by 18% within six months, because routing is automated.';
  const good2 = 'Switching takes one afternoon because we migrate your data for you, and a pilot with two teams costs nothing.';

  it('opens in character with the first objection, pushes back on weak arguments, and is convinced by good ones', () => {
    const first = ask([user(opening)], agent).text;
    expect(first).toContain('Claire');
    expect(first).toContain('Acme');
    expect(first).toContain('Your price is too high for our budget.');

    const history: ChatMessage[] = [user(opening), assistant(first), user(weak)];
    const pushBack = ask(history, agent).text;
    expect(pushBack).toMatch(/not convinced|a bit general/);
    expect(pushBack).toContain('Your price is too high');

    history.push(assistant(pushBack), user(good1));
    const accepted = ask(history, agent).text;
    expect(accepted).toContain('We have no time to switch tools this quarter.');

    history.push(assistant(accepted), user(good2));
    expect(ask(history, agent).text).toMatch(/convinced|answered my concerns/);

    history.push(assistant('…'), user('Great, when can we start?'));
    expect(ask(history, agent).text).toMatch(/on board|We're good/);
  });

  it('plays the default persona in French when the learner speaks French', () => {
    const { text, language } = ask([user("Bonjour, merci de me recevoir aujourd'hui.")], { kind: 'roleplay' });
    expect(language).toBe('fr');
    expect(text).toContain('Nordia Logistique');
    expect(text).toMatch(/prix est plus élevé/);
    const next = ask(
      [user("Bonjour, merci de me recevoir aujourd'hui."), assistant(text), user('Je comprends, mais notre offre est meilleure.')],
      { kind: 'roleplay' },
    ).text;
    expect(next).toMatch(/pas encore convaincu|un peu général/);
  });
});

describe('offline engine: debrief coach', () => {
  const transcript = [
    { speaker: 'persona', text: 'We already have a supplier we trust.' },
    { speaker: 'learner', text: 'What do you like most about your current supplier?' },
    { speaker: 'persona', text: 'They are reliable.' },
    {
      speaker: 'learner',
      text: 'Our customers save 20% on average because we automate the routing, and we can start with a free pilot on one site.',
    },
    { speaker: 'learner', text: 'Okay.' },
  ];
  const agent: AgentHint = { kind: 'debrief', transcript };

  it('walks through the transcript quoting the learner, then wraps up', () => {
    const first = ask([user("Let's debrief")], agent).text;
    expect(first).toMatch(/3 times out of 5 turns/);
    expect(first).toMatch(/asked 1 question/);
    expect(first).toContain('"What do you like most about your current supplier?"');
    expect(first).toMatch(/question/);

    const second = ask([user("Let's debrief"), assistant(first), user('I wanted to understand their needs.')], agent).text;
    expect(second).toContain('Our customers save 20% on average');
    expect(second).toMatch(/figures|numbers/);

    const third = ask(
      [user("Let's debrief"), assistant(first), user('I wanted to understand.'), assistant(second), user('They landed well.')],
      agent,
    ).text;
    expect(third).toContain('"Okay."');

    const wrap = ask(
      [user('x'), assistant(first), user('a'), assistant(second), user('b'), assistant(third), user('c')],
      agent,
    ).text;
    expect(wrap).toMatch(/wrap up/);
    expect(wrap).toMatch(/differently next time\?/);
  });

  it('reads the transcript from the delimited block of the system prompt when no hint is given', async () => {
    const { buildInstructions } = await import('../prompt.js');
    const system = buildInstructions({
      persona: 'You are a sales coach.',
      context: [{ label: 'transcript', content: transcript }],
    });
    const { text } = ask([{ role: 'system', content: system }, user('Débriefons ma séance, s’il vous plaît')], { kind: 'debrief' });
    expect(text).toMatch(/Revenons ensemble/);
    expect(text).toContain('« What do you like most about your current supplier? »');
  });

  it('asks for an account of the session when there is no transcript', () => {
    expect(ask([user('Can we debrief?')], { kind: 'debrief' }).text).toMatch(/don't have a transcript/);
  });
});

describe('offline engine: technical interviewer', () => {
  const agent: AgentHint = { kind: 'interviewer', technologies: ['TypeScript', 'react'], questionCount: 3 };
  const long1 =
    'Unknown is the type-safe counterpart of any: you must narrow it before use, with typeof checks or schema validation, which keeps mistakes visible.';
  const long2 = 'React re-renders a component when its state changes or its parent renders, unless memoization prevents it; context changes also trigger it.';
  const long3 = 'A discriminated union has a literal tag on each member, so a switch narrows the type and the compiler checks exhaustiveness for us.';

  it('asks bank questions, follows up on short answers, and wraps up', () => {
    const intro = ask([user('Ready')], agent).text;
    expect(intro).toMatch(/3 questions about TypeScript and React/);
    expect(intro).toContain('`unknown` and `any`');

    const history: ChatMessage[] = [user('Ready'), assistant(intro), user('It is safer.')];
    const followUp = ask(history, agent).text;
    expect(followUp).toMatch(/deeper|example/);

    history.push(assistant(followUp), user(long1));
    const q2 = ask(history, agent).text;
    expect(q2).toContain('React decide when to re-render');
    expect(q2).toMatch(/You mentioned "/);

    history.push(assistant(q2), user(long2), assistant('q3'), user(long3));
    expect(ask(history, agent).text).toMatch(/last question/);

    history.push(assistant('bye'), user('No questions, thanks'));
    expect(ask(history, agent).text).toMatch(/interview is complete/);
  });

  it('reassures on "I don\'t know" and interviews in French, with technologies found in the system prompt', () => {
    const messages: ChatMessage[] = [{ role: 'system', content: 'Entretien technique : Python et SQL.' }, user('Bonjour, je suis prêt')];
    const intro = ask(messages, { kind: 'interviewer' }).text;
    expect(intro).toMatch(/Python et SQL/);
    expect(intro).toContain('liste et un tuple');
    const next = ask([...messages, assistant(intro), user('Je ne sais pas')], { kind: 'interviewer' }).text;
    expect(next).toMatch(/Pas de souci|pas grave/);
  });
});

describe('offline engine: kiosk assistant', () => {
  const kiosk: AgentHint = { kind: 'kiosk', gymName: 'FitClub Lyon' };

  it('maps requests to the offered tools with arguments from the text', () => {
    expect(ask([user('Is there a yoga class tomorrow?')], kiosk, { tools: kioskTools }).toolCalls).toEqual([
      { name: 'get_class_schedule', arguments: { day: 'tomorrow', class_type: 'yoga' } },
    ]);
    expect(ask([user('The treadmill near the window is broken')], kiosk, { tools: kioskTools }).toolCalls).toEqual([
      {
        name: 'report_issue',
        arguments: { description: 'The treadmill near the window is broken', equipment: 'treadmill', severity: 'medium' },
      },
    ]);
    expect(ask([user('Je voudrais réserver un coach avec Julie demain à 18h')], kiosk, { tools: kioskTools }).toolCalls).toEqual([
      { name: 'book_coach', arguments: { coach: 'Julie', day: 'tomorrow', time: '18h' } },
    ]);
    expect(ask([user('How do I use the rowing machine?')], kiosk, { tools: kioskTools }).toolCalls[0]).toEqual({
      name: 'get_equipment_help',
      arguments: { equipment: 'rowing machine' },
    });
    expect(ask([user('What should I eat to gain muscle?')], kiosk, { tools: kioskTools }).toolCalls[0]).toEqual({
      name: 'nutrition_advice',
      arguments: { goal: 'gain muscle' },
    });
  });

  it('answers from the tool result after the round trip, in the user language', () => {
    const call = { id: 'call_1', name: 'get_class_schedule', arguments: '{"day":"tomorrow","class_type":"yoga"}' };
    const en = ask(
      [
        user('Is there a yoga class tomorrow?'),
        { role: 'assistant', content: null, toolCalls: [call] },
        { role: 'tool', toolCallId: 'call_1', content: JSON.stringify([{ name: 'Yoga', time: '18:00', coach: 'Julie' }]) },
      ],
      kiosk,
      { tools: kioskTools },
    );
    expect(en.toolCalls).toEqual([]);
    expect(en.text).toBe('Here is the class schedule:\n- Yoga — 18:00 — Julie');

    const hours = { id: 'call_2', name: 'get_opening_hours', arguments: '{}' };
    const fr = ask(
      [
        user("Quels sont vos horaires d'ouverture ?"),
        { role: 'assistant', content: null, toolCalls: [hours] },
        { role: 'tool', toolCallId: 'call_2', content: JSON.stringify({ weekdays: '6h-23h', weekend: '8h-20h' }) },
      ],
      kiosk,
      { tools: kioskTools },
    );
    expect(fr.text).toBe("Voici les horaires d'ouverture :\n- weekdays: 6h-23h\n- weekend: 8h-20h");
  });

  it('apologises when the tool failed, and is honest when no tool is offered', () => {
    const call = { id: 'c', name: 'get_opening_hours', arguments: '{}' };
    expect(
      ask(
        [user('When do you open?'), { role: 'assistant', content: null, toolCalls: [call] }, { role: 'tool', toolCallId: 'c', content: '{"error":"db down"}' }],
        kiosk,
        { tools: kioskTools },
      ).text,
    ).toMatch(/couldn't get that information/);
    const noTools = ask([user('When do you open on Sunday?')], kiosk);
    expect(noTools.toolCalls).toEqual([]);
    expect(noTools.text).toMatch(/can't look up today's opening hours/);
    expect(ask([user('Bonjour')], kiosk).text).toContain('FitClub Lyon');
  });
});

describe('offline engine: structured output', () => {
  const schema = {
    type: 'object',
    properties: {
      verdict: { type: 'string', enum: ['met', 'not_met'] },
      level: { anyOf: [{ type: 'integer', enum: [0, 1, 2, 3, 4] }, { type: 'null' }] },
      notes: { type: 'array', items: { type: 'string' } },
      detail: { type: 'object', properties: { count: { type: 'integer', minimum: 1 }, ok: { type: 'boolean' } }, required: ['count', 'ok'] },
    },
    required: ['verdict', 'level', 'notes', 'detail'],
    additionalProperties: false,
  };

  it("answers the caller's heuristic result as JSON, whatever the agent", () => {
    const offlineAnswer = { verdict: 'met', level: 3, notes: ['asked two questions'], detail: { count: 2, ok: true } };
    const reply = ask([user('Évalue cette conversation.')], { kind: 'roleplay' }, { responseFormat: { type: 'json_schema', name: 'verdict', schema, offlineAnswer } });
    expect(JSON.parse(reply.text)).toEqual(offlineAnswer);
    expect(reply.toolCalls).toEqual([]);
  });

  it("answers the schema's minimal valid value when the caller gave no heuristic answer", () => {
    const reply = ask([user('Evaluate.')], undefined, { responseFormat: { type: 'json_schema', name: 'verdict', schema } });
    expect(JSON.parse(reply.text)).toEqual({ verdict: 'met', level: null, notes: [], detail: { count: 1, ok: false } });
  });

  it('streams the JSON through the provider like any reply', async () => {
    const provider = createOfflineProvider();
    let text = '';
    for await (const event of provider.stream(
      { messages: [user('x')], tools: [], temperature: 0, maxTokens: 500, timeoutMs: 1000, responseFormat: { type: 'json_schema', name: 'v', schema, offlineAnswer: { verdict: 'not_met', level: 0, notes: ['a b c d e f'], detail: { count: 1, ok: true } } } },
      { feature: 'test', signal: new AbortController().signal },
    )) {
      if (event.type === 'text') text += event.delta;
    }
    expect(JSON.parse(text)).toMatchObject({ verdict: 'not_met', notes: ['a b c d e f'] });
  });
});
