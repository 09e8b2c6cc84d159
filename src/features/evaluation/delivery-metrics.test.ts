import { describe, expect, it } from 'vitest';
import { computeDeliveryMetrics } from './delivery-metrics.js';
import { countFillers } from './fillers.js';
import { isQuestion } from './questions.js';
import type { EvaluationTurn } from './transcript.js';

let counter = 0;
const turn = (speaker: 'user' | 'assistant', startMs: number, endMs: number, text: string): EvaluationTurn => ({ itemId: `item_${++counter}`, speaker, text, startMs, endMs });
const u = (startMs: number, endMs: number, text: string) => turn('user', startMs, endMs, text);
const a = (startMs: number, endMs: number, text: string) => turn('assistant', startMs, endMs, text);

describe('delivery metrics on a hand-made sales call', () => {
  // 0–4 s persona, 5–17 s learner (12 s), 18–24 s persona, 23–35 s learner (starts 1 s early), 36–40 s persona.
  const call = [
    a(0, 4000, 'Bonjour, vous vouliez me parler de votre offre ?'),
    u(5000, 17000, "Oui, euh, merci de me recevoir. Quel est votre budget cette année ? Et combien d'utilisateurs avez-vous ?"),
    a(18000, 24000, "Cinquante utilisateurs. Mais franchement c'est trop cher pour nous."),
    u(23000, 35000, "Je comprends. Du coup, en fait, nos clients économisent 20 % dès le premier mois, voilà."),
    a(36000, 40000, 'Intéressant.'),
  ];
  const m = computeDeliveryMetrics(call);

  it('splits speaking time and computes the talk ratio', () => {
    expect(m.userSpeakingMs).toBe(24000);
    expect(m.assistantSpeakingMs).toBe(14000);
    expect(m.talkRatio).toBe(0.632); // 24 / 38
    expect(m.durationMs).toBe(40000);
    expect(m).toMatchObject({ userTurns: 2, assistantTurns: 3 });
  });

  it('counts words, pace, questions and the average answer', () => {
    expect(m.userWords).toBe(31);
    expect(m.wordsPerMinute).toBe(77.5); // 31 words in 24 s
    expect(m.questionsAsked).toBe(2);
    expect(m.averageAnswerWords).toBe(15.5);
    expect(m.averageAnswerMs).toBe(12000);
  });

  it('counts French fillers by word, and per minute of the user speaking', () => {
    expect(m.fillers.byWord).toEqual([
      { word: 'du coup', count: 1 },
      { word: 'en fait', count: 1 },
      { word: 'euh', count: 1 },
      { word: 'voilà', count: 1 },
    ]);
    expect(m.fillers.count).toBe(4);
    expect(m.fillers.perMinute).toBe(10); // 4 in 24 s
  });

  it('finds interruptions, the first response time and the longest monologue', () => {
    expect(m.interruptions).toEqual({ byUser: 1, byAssistant: 0 });
    expect(m.timeToFirstResponseMs).toBe(1000);
    expect(m.longestMonologue).toEqual({ ms: 12000, words: 16, itemIds: [call[1]!.itemId] });
  });
});

describe('delivery metrics: edge cases', () => {
  it('an empty transcript has zeros and nulls, never NaN', () => {
    const m = computeDeliveryMetrics([]);
    expect(m).toMatchObject({ durationMs: 0, talkRatio: null, wordsPerMinute: null, timeToFirstResponseMs: null, averageAnswerWords: null, averageAnswerMs: null });
    expect(m.fillers).toEqual({ count: 0, perMinute: null, byWord: [] });
    expect(m.longestMonologue).toEqual({ ms: 0, words: 0, itemIds: [] });
    expect(JSON.stringify(m)).not.toContain('NaN');
  });

  it('joins consecutive user turns into one monologue, and orders turns by start', () => {
    const first = u(2000, 10000, 'one two three');
    const second = u(10500, 30000, 'four five six seven');
    const m = computeDeliveryMetrics([second, a(0, 1500, 'Tell me about yourself.'), first, a(31000, 32000, 'Thanks.'), u(33000, 34000, 'Sure.')]);
    expect(m.longestMonologue).toEqual({ ms: 28000, words: 7, itemIds: [first.itemId, second.itemId] });
    expect(m.timeToFirstResponseMs).toBe(500);
  });

  it('counts an assistant barge-in, and a user who answers before the question ended (response time 0)', () => {
    const m = computeDeliveryMetrics([a(0, 5000, 'So what would you'), u(4000, 9000, 'I would start with tests.'), a(8000, 9500, 'Right, and then?')]);
    expect(m.interruptions).toEqual({ byUser: 1, byAssistant: 1 });
    expect(m.timeToFirstResponseMs).toBe(0);
  });

  it('has no response time without an assistant turn, and a user-only talk ratio of 1', () => {
    const m = computeDeliveryMetrics([u(0, 6000, 'Just me talking here.')]);
    expect(m.timeToFirstResponseMs).toBeNull();
    expect(m.talkRatio).toBe(1);
    expect(m.wordsPerMinute).toBe(40);
    expect(m.interruptions).toEqual({ byUser: 0, byAssistant: 0 });
  });

  it('reads the assistant’s fillers and questions as not the user’s', () => {
    const m = computeDeliveryMetrics([a(0, 3000, 'Um, what is your budget? Like, really?'), u(3500, 5000, 'Ten thousand.')]);
    expect(m.fillers.count).toBe(0);
    expect(m.questionsAsked).toBe(0);
  });
});

describe('filler words', () => {
  it('counts the English list, with "like" and "you know" only as fillers', () => {
    const text = "Um, so I was, like, basically running the team, you know. Uh I like Python and I would like a raise. Do you know Rust? You know what, I mean, it was actually kind of hard. It's a kind of tool. Literally.";
    expect(countFillers(text)).toEqual([
      { word: 'actually', count: 1 },
      { word: 'basically', count: 1 },
      { word: 'i mean', count: 1 },
      { word: 'kind of', count: 1 },
      { word: 'like', count: 1 },
      { word: 'literally', count: 1 },
      { word: 'uh', count: 1 },
      { word: 'um', count: 1 },
      { word: 'you know', count: 1 },
    ]);
  });

  it('counts the French list, with "genre" and "quoi" only as fillers', () => {
    const text = "Euh, bah en fait c'était genre trop long, quoi. Ce genre de projet, ben, du coup on l'a découpé. Voilà. C'est quoi la suite ? De quoi tu parles ? Bref, tu vois, euh, disons deux semaines.";
    expect(countFillers(text)).toEqual([
      { word: 'euh', count: 2 },
      { word: 'bah', count: 1 },
      { word: 'ben', count: 1 },
      { word: 'bref', count: 1 },
      { word: 'disons', count: 1 },
      { word: 'du coup', count: 1 },
      { word: 'en fait', count: 1 },
      { word: 'genre', count: 1 },
      { word: 'quoi', count: 1 },
      { word: 'tu vois', count: 1 },
      { word: 'voilà', count: 1 },
    ]);
  });

  it('finds nothing in plain sentences', () => {
    expect(countFillers('We shipped the feature in two weeks and cut the error rate by half.')).toEqual([]);
    expect(countFillers('Nous avons livré la fonctionnalité en deux semaines et réduit les erreurs de moitié.')).toEqual([]);
  });
});

describe('questions', () => {
  it('reads question marks, and question openings without them (speech-to-text)', () => {
    for (const q of ['What is your budget?', 'how many users do you have', 'could you tell me more', 'est-ce que vous avez un budget', 'Quel est votre délai', 'pouvez-vous préciser', 'and why does it matter']) expect([q, isQuestion(q)]).toEqual([q, true]);
    for (const s of ['What I did was refactor the module.', 'We can start tomorrow.', 'Comment dire, c’était compliqué.', "Quand j'étais chez Acme, j'ai mené la migration.", 'I know how it works.']) {
      expect([s, isQuestion(s)]).toEqual([s, false]);
    }
    expect(isQuestion('comment vous faites aujourd’hui')).toBe(true);
    // Interview prompts ask without a question mark.
    expect(isQuestion('Tell me about a time you disagreed with your manager.')).toBe(true);
    expect(isQuestion('Décrivez un projet dont vous êtes fier.')).toBe(true);
  });
});
