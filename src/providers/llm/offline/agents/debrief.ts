import { extractBlocks, parseTranscript } from '../../prompt.js';
import type { TranscriptTurn } from '../../types.js';
import { assistantTurns, systemText, type AgentInput, type AgentReply } from '../agent.js';
import { excerpt, fill, normalize, pick, wordCount } from '../text.js';

const LEARNER_SPEAKERS = new Set(['learner', 'user', 'candidate', 'student', 'trainee', 'apprenant', 'apprenante', 'candidat', 'me', 'moi', 'you', 'vous']);
const MAX_QUOTES = 3;

/** The transcript from the agent hint, else from a "transcript" block of the system prompt. */
function findTranscript(input: AgentInput): TranscriptTurn[] {
  const agent = input.request.agent;
  if (agent?.kind === 'debrief' && agent.transcript !== undefined) return [...agent.transcript];
  const block = extractBlocks(systemText(input.request.messages)).find((b) => b.label.includes('transcript'));
  return block ? parseTranscript(block.content) : [];
}

function isLearner(turn: TranscriptTurn, learnerSpeaker: string | undefined): boolean {
  const speaker = normalize(turn.speaker).trim();
  return learnerSpeaker !== undefined ? speaker === normalize(learnerSpeaker).trim() : LEARNER_SPEAKERS.has(speaker);
}

/**
 * A debrief coach that walks through the learner's transcript: an overview with simple
 * statistics, then one quoted learner line per turn with a reflective question chosen from what
 * the line does (asks a question, uses figures, runs long), then a wrap-up with one strength and
 * one thing to improve.
 */
export function debriefReply(input: AgentInput): AgentReply {
  const { t, seed } = input;
  const agent = input.request.agent;
  const learnerSpeaker = agent?.kind === 'debrief' ? agent.learnerSpeaker : undefined;
  const transcript = findTranscript(input);
  const learnerTurns = transcript.filter((turn) => isLearner(turn, learnerSpeaker));
  if (learnerTurns.length === 0) return { text: t.debrief.noTranscript };

  const words = (turns: TranscriptTurn[]): number => turns.reduce((n, turn) => n + wordCount(turn.text), 0);
  const totalWords = Math.max(1, words(transcript));
  const stats = {
    turns: transcript.length,
    learnerTurns: learnerTurns.length,
    talkShare: Math.round((words(learnerTurns) / totalWords) * 100),
    questions: learnerTurns.filter((turn) => turn.text.includes('?')).length,
  };
  // The most substantive learner lines, kept in transcript order.
  const quotes = [...learnerTurns]
    .map((turn, index) => ({ turn, index }))
    .sort((a, b) => wordCount(b.turn.text) - wordCount(a.turn.text) || a.index - b.index)
    .slice(0, MAX_QUOTES)
    .sort((a, b) => a.index - b.index)
    .map(({ turn }) => turn.text);

  const step = assistantTurns(input.request.messages);
  const quoteAt = (index: number): string => {
    const line = quotes[index] ?? '';
    const quote = fill(pick(t.debrief.quote, seed + index), { quote: excerpt(line, 30) });
    return `${quote}\n\n${pick(reflectiveQuestions(t, line), seed + index)}`;
  };

  if (step === 0) return { text: `${fill(t.debrief.overview, stats)}\n\n${quoteAt(0)}` };
  if (step < quotes.length) return { text: `${pick(t.debrief.acknowledge, seed)} ${quoteAt(step)}` };
  if (step === quotes.length) {
    const strength = stats.questions >= 2 ? t.debrief.strengthQuestions : stats.talkShare <= 60 ? t.debrief.strengthBalance : '';
    const tip = stats.talkShare > 60 ? fill(t.debrief.tipBalance, stats) : stats.questions < 2 ? t.debrief.tipQuestions : '';
    return { text: fill(t.debrief.wrapUp, { strength, tip }).replace(/\s{2,}/g, ' ') };
  }
  return { text: t.debrief.closing };
}

function reflectiveQuestions(t: AgentInput['t'], line: string): readonly string[] {
  if (line.includes('?')) return t.debrief.questions.asked;
  if (/\d/.test(line)) return t.debrief.questions.figures;
  if (wordCount(line) > 40) return t.debrief.questions.long;
  return t.debrief.questions.generic;
}
