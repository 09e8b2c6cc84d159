import { assistantTurns, systemText, type AgentInput, type AgentReply } from '../agent.js';
import { interviewQuestions, QUESTION_BANK, resolveTechnologies } from '../question-bank.js';
import { fill, joinList, normalize, pick, wordCount } from '../text.js';

const DEFAULT_QUESTION_COUNT = 5;
const SHALLOW_ANSWER_WORDS = 12;
const UNKNOWN = /\b(i don't know|i do not know|no idea|not sure|je ne sais pas|je sais pas|aucune idee|pas sur)\b/;

/**
 * A technical interviewer: greets and asks the first question, follows up once on a short or
 * "I don't know" answer, otherwise acknowledges (quoting a term the candidate used) and moves
 * on, and wraps up after the last question. Questions come from the bank of the requested
 * technologies (from the agent hint, else detected in the system prompt).
 */
export function interviewerReply(input: AgentInput): AgentReply {
  const { t, seed, language } = input;
  const agent = input.request.agent?.kind === 'interviewer' ? input.request.agent : undefined;
  const technologies = resolveTechnologies(agent?.technologies ?? [systemText(input.request.messages)]);
  const count = Math.max(1, agent?.questionCount ?? DEFAULT_QUESTION_COUNT);
  const questions = interviewQuestions(technologies, count, language);
  const topics = joinList(
    (technologies.length > 0 ? technologies : ['general' as const]).map((tech) => QUESTION_BANK[tech].label),
    t.and,
  );

  // Replay: answers are the user turns after the interviewer's first message.
  const messages = input.request.messages;
  const firstAssistant = messages.findIndex((message) => message.role === 'assistant');
  if (firstAssistant === -1 || assistantTurns(messages) === 0) {
    return { text: fill(t.interviewer.intro, { count: questions.length, topics, question: questions[0] ?? '' }) };
  }
  const answers = messages
    .slice(firstAssistant + 1)
    .filter((message) => message.role === 'user')
    .map((message) => message.content);

  let questionIndex = 0;
  let followedUp = false;
  let reply = '';
  for (const answer of answers) {
    if (questionIndex >= questions.length) {
      reply = t.interviewer.afterWrapUp;
      continue;
    }
    const unknown = UNKNOWN.test(normalize(answer));
    if (!followedUp && (unknown || wordCount(answer) < SHALLOW_ANSWER_WORDS)) {
      followedUp = true;
      reply = pick(unknown ? t.interviewer.followUpUnknown : t.interviewer.followUp, seed);
      continue;
    }
    questionIndex++;
    followedUp = false;
    const term = notableTerm(answer);
    const ack = term === undefined ? '' : `${fill(t.interviewer.mentioned, { term })} `;
    reply =
      questionIndex >= questions.length
        ? `${ack}${t.interviewer.wrapUp}`
        : `${ack}${fill(pick(t.interviewer.next, seed), { question: questions[questionIndex] ?? '' })}`;
  }
  return { text: reply === '' ? fill(t.interviewer.intro, { count: questions.length, topics, question: questions[0] ?? '' }) : reply };
}

/** The longest word of the answer (8+ letters), as a sign we listened. */
function notableTerm(answer: string): string | undefined {
  const words = answer.match(/[\p{L}][\p{L}\p{N}_.-]*[\p{L}\p{N}]/gu) ?? [];
  const best = words.filter((word) => word.length >= 8).sort((a, b) => b.length - a.length)[0];
  return best;
}
