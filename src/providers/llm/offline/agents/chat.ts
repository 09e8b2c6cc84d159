import type { AgentInput, AgentReply } from '../agent.js';
import { CHAT_INTENTS, detectIntent } from '../intents.js';
import { excerpt, fill, pick, wordCount } from '../text.js';

/** Dating-confidence and personal-development coach: empathetic, ethical, always ends with a question. */
export function chatReply({ t, lastUser, seed }: AgentInput): AgentReply {
  const intent = detectIntent(lastUser, CHAT_INTENTS);
  if (intent !== undefined) return { text: pick(t.chat[intent], seed) };
  if (wordCount(lastUser) >= 4) {
    const snippet = excerpt(lastUser.replace(/[.!?…\s]+$/u, ''), 10);
    return { text: fill(pick(t.chat.reflect, seed), { snippet }) };
  }
  return { text: pick(t.chat.fallback, seed) };
}
