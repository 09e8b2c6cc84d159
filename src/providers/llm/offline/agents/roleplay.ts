import type { AgentHint } from '../../types.js';
import type { AgentInput, AgentReply } from '../agent.js';
import { detectIntent, SHARED_INTENTS } from '../intents.js';
import { fill, normalize, pick, wordCount } from '../text.js';

type RoleplayHint = Extract<AgentHint, { kind: 'roleplay' }>;

const REASON = /\b(because|since|so that|which means|that's why|therefore|this means|parce que|car|donc|ce qui|grace a|c'est pourquoi|afin de|cela signifie)\b/;
const EVIDENCE =
  /\d|%|€|\$|\b(for example|for instance|case study|clients?|customers?|roi|guarantee|trial|pilot|references?|par exemple|etude de cas|garantie|essai|pilote)\b/;
const EMPATHY = /\b(i understand|i hear you|that makes sense|fair point|you're right|je comprends|j'entends|c'est legitime|vous avez raison)\b/;
const STOPWORDS = new Set(['about', 'already', 'avons', 'cette', 'their', 'there', 'these', 'today', 'votre', 'which', "aujourd'hui", 'sommes', 'would']);

/**
 * How convincing a learner's turn is against the current objection: substance (a reason or
 * evidence) is required; length, empathy and addressing the objection's own words add up.
 */
export function argumentScore(text: string, objection: string): number {
  const normalized = normalize(text);
  const hasReason = REASON.test(normalized);
  const hasEvidence = EVIDENCE.test(normalized);
  if (!hasReason && !hasEvidence) return 0;
  const keywords = normalize(objection)
    .split(/[^a-z']+/)
    .filter((word) => word.length >= 5 && !STOPWORDS.has(word))
    .map((word) => word.slice(0, 5));
  const addresses = keywords.some((stem) => normalized.includes(stem));
  return (
    (hasReason ? 1 : 0) +
    (hasEvidence ? 1 : 0) +
    (EMPATHY.test(normalized) ? 1 : 0) +
    (addresses ? 1 : 0) +
    (wordCount(text) >= 12 ? 1 : 0)
  );
}

const CONVINCING_SCORE = 2;

interface RoleplayState {
  objectionIndex: number;
  goodArguments: number;
  convinced: boolean;
}

/**
 * A persona that stays in character: it opens with the scenario's first objection, pushes back
 * on weak answers, moves to the next objection after a good argument, and agrees once enough
 * good arguments were made. The state is replayed from the learner's turns, so it is stateless
 * between calls and deterministic.
 */
export function roleplayReply(input: AgentInput): AgentReply {
  const { t, seed } = input;
  const hint: RoleplayHint = input.request.agent?.kind === 'roleplay' ? input.request.agent : { kind: 'roleplay' };
  const persona = { ...t.roleplay.defaultPersona, ...definedOnly(hint.persona ?? {}) };
  const objections = hint.scenario?.objections?.length ? [...hint.scenario.objections] : [...t.roleplay.defaultObjections];
  const needed = Math.max(1, hint.argumentsToConvince ?? objections.length);
  const turns = input.userTexts.filter((text) => detectIntent(text, SHARED_INTENTS) !== 'honesty');

  const state: RoleplayState = { objectionIndex: 0, goodArguments: 0, convinced: false };
  let reply = fill(pick(t.roleplay.opening, seed), { ...persona, objection: objections[0] ?? '' });
  turns.forEach((turn, index) => {
    if (index === 0) return; // the learner's opening line gets the persona's opening
    if (state.convinced) {
      reply = pick(t.roleplay.afterConvinced, seed);
      return;
    }
    const objection = objections[state.objectionIndex % objections.length] ?? '';
    if (argumentScore(turn, objection) >= CONVINCING_SCORE) {
      state.goodArguments++;
      state.objectionIndex++;
      if (state.goodArguments >= needed) {
        state.convinced = true;
        reply = pick(t.roleplay.convinced, seed);
      } else {
        reply = fill(pick(t.roleplay.accept, seed), { objection: objections[state.objectionIndex % objections.length] ?? '' });
      }
    } else {
      reply = fill(pick(t.roleplay.pushBack, seed), { objection });
    }
  });

  if (detectIntent(input.lastUser, SHARED_INTENTS) === 'honesty') {
    const current = state.convinced ? pick(t.roleplay.afterConvinced, seed) : objections[state.objectionIndex % objections.length] ?? '';
    return { text: fill(t.honestyInCharacter, { objection: current }) };
  }
  return { text: reply };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}
