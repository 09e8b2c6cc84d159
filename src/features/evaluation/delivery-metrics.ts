import type { DeliveryMetrics } from '../../shared/api/evaluation.js';
import { countFillers, sortCounts } from './fillers.js';
import { questionWindows } from './questions.js';
import { round, wordCount } from './text.js';
import type { EvaluationTurn } from './transcript.js';

const perMinute = (count: number, ms: number): number | null => (ms > 0 ? round((count * 60_000) / ms) : null);

/**
 * Delivery metrics from the turns' text and timestamps only (no model): talk ratio, pace, filler
 * words, questions, the longest monologue, interruptions, time to first response, answer length.
 * Pure and deterministic; every definition is in docs/evaluation.md.
 */
export function computeDeliveryMetrics(input: readonly EvaluationTurn[]): DeliveryMetrics {
  const turns = [...input].sort((a, b) => a.startMs - b.startMs);
  const user = turns.filter((turn) => turn.speaker === 'user');
  const assistant = turns.filter((turn) => turn.speaker === 'assistant');
  const spoken = (list: readonly EvaluationTurn[]): number => list.reduce((ms, turn) => ms + Math.max(0, turn.endMs - turn.startMs), 0);
  const userSpeakingMs = spoken(user);
  const assistantSpeakingMs = spoken(assistant);
  const userWords = user.reduce((n, turn) => n + wordCount(turn.text), 0);

  const fillerCounts = new Map<string, number>();
  for (const turn of user) for (const { word, count } of countFillers(turn.text)) fillerCounts.set(word, (fillerCounts.get(word) ?? 0) + count);
  const fillerTotal = [...fillerCounts.values()].reduce((a, b) => a + b, 0);

  return {
    durationMs: turns.length === 0 ? 0 : turns.reduce((end, t) => Math.max(end, t.endMs), 0) - turns[0]!.startMs,
    userSpeakingMs,
    assistantSpeakingMs,
    talkRatio: userSpeakingMs + assistantSpeakingMs > 0 ? round(userSpeakingMs / (userSpeakingMs + assistantSpeakingMs), 3) : null,
    userTurns: user.length,
    assistantTurns: assistant.length,
    userWords,
    wordsPerMinute: perMinute(userWords, userSpeakingMs),
    fillers: { count: fillerTotal, perMinute: perMinute(fillerTotal, userSpeakingMs), byWord: sortCounts(fillerCounts) },
    questionsAsked: user.reduce((n, turn) => n + questionWindows(turn.text).length, 0),
    longestMonologue: longestMonologue(turns),
    interruptions: interruptions(turns),
    timeToFirstResponseMs: timeToFirstResponse(turns),
    averageAnswerWords: user.length > 0 ? round(userWords / user.length) : null,
    averageAnswerMs: user.length > 0 ? Math.round(userSpeakingMs / user.length) : null,
  };
}

/**
 * The longest run of consecutive user turns with no assistant turn between them: from the first
 * turn's start to the last one's end, and its words.
 */
function longestMonologue(turns: readonly EvaluationTurn[]): DeliveryMetrics['longestMonologue'] {
  let best = { ms: 0, words: 0, itemIds: [] as string[] };
  let run: EvaluationTurn[] = [];
  const close = (): void => {
    if (run.length === 0) return;
    const ms = run.reduce((end, t) => Math.max(end, t.endMs), 0) - run[0]!.startMs;
    const words = run.reduce((n, t) => n + wordCount(t.text), 0);
    if (ms > best.ms || (ms === best.ms && words > best.words)) best = { ms, words, itemIds: run.map((t) => t.itemId) };
    run = [];
  };
  for (const turn of turns) {
    if (turn.speaker === 'user') run.push(turn);
    else close();
  }
  close();
  return best;
}

/**
 * A turn interrupts when it starts before the most recent turn of the other speaker ended
 * (turns in start order): a user turn starting while the assistant still speaks, and vice versa.
 */
function interruptions(turns: readonly EvaluationTurn[]): DeliveryMetrics['interruptions'] {
  const result = { byUser: 0, byAssistant: 0 };
  const last: Partial<Record<EvaluationTurn['speaker'], EvaluationTurn>> = {};
  for (const turn of turns) {
    const other = last[turn.speaker === 'user' ? 'assistant' : 'user'];
    if (other !== undefined && turn.startMs < other.endMs && turn.startMs >= other.startMs) {
      if (turn.speaker === 'user') result.byUser++;
      else result.byAssistant++;
    }
    last[turn.speaker] = turn;
  }
  return result;
}

/** From the end of the assistant's first turn to the start of the first user turn after it began (never below 0). */
function timeToFirstResponse(turns: readonly EvaluationTurn[]): number | null {
  const first = turns.find((turn) => turn.speaker === 'assistant');
  if (first === undefined) return null;
  const answer = turns.find((turn) => turn.speaker === 'user' && turn.startMs >= first.startMs);
  if (answer === undefined) return null;
  return Math.max(0, answer.startMs - first.endMs);
}
