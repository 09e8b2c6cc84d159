import { randomUUID } from 'node:crypto';
import { abortReason } from '../provider-error.js';
import { estimateInputTokens, estimateTokens } from '../token-estimate.js';
import type { AgentKind, Language, LlmEvent, LlmProvider, ProviderCall, ResolvedRequest, ToolCall } from '../types.js';
import type { AgentInput, AgentReply } from './agent.js';
import { chatReply } from './agents/chat.js';
import { debriefReply } from './agents/debrief.js';
import { interviewerReply } from './agents/interviewer.js';
import { kioskReply } from './agents/kiosk.js';
import { roleplayReply } from './agents/roleplay.js';
import { detectIntent, SHARED_INTENTS } from './intents.js';
import { replyLanguage } from './language.js';
import { TEMPLATES_EN, type Templates } from './templates-en.js';
import { TEMPLATES_FR } from './templates-fr.js';
import { structuredReply } from './structured.js';
import { stableHash, streamChunks } from './text.js';

export const OFFLINE_MODEL = 'coach-hub-offline-rules-1';

export { OFFLINE_MODE_HINT } from '../../../shared/offline-mode.js';

const TEMPLATES: Record<Language, Templates> = { en: TEMPLATES_EN, fr: TEMPLATES_FR };

const AGENTS: Record<AgentKind, (input: AgentInput) => AgentReply> = {
  chat: chatReply,
  roleplay: roleplayReply,
  debrief: debriefReply,
  interviewer: interviewerReply,
  kiosk: kioskReply,
};

/** Computes the offline engine's reply (pure and deterministic; exported for tests). */
export function offlineReply(request: ResolvedRequest): { reply: AgentReply; language: Language } {
  const userTexts = request.messages.flatMap((message) => (message.role === 'user' ? [message.content] : []));
  const lastMessage = request.messages[request.messages.length - 1];
  const lastUser = lastMessage?.role === 'user' ? lastMessage.content : '';
  const language = replyLanguage(request.language, userTexts);
  if (request.responseFormat !== undefined) return { reply: { text: structuredReply(request.responseFormat) }, language };
  const t = TEMPLATES[language];
  const kind = request.agent?.kind ?? 'chat';
  const seed = stableHash(`${kind}|${request.messages.length}|${lastUser}`);
  const input: AgentInput = { request, language, t, userTexts, lastUser, seed };

  const shared = lastUser === '' ? undefined : detectIntent(lastUser, SHARED_INTENTS);
  if (shared === 'crisis') return { reply: { text: t.crisis }, language };
  if (shared === 'honesty' && kind !== 'roleplay') return { reply: { text: t.honesty }, language };
  return { reply: AGENTS[kind](input), language };
}

/**
 * The zero-config provider: intent rules and templates in English and French. It streams its
 * reply in word-sized deltas, emits tool calls like a model would, and reports estimated token
 * usage (flagged approximate). It never pretends to be an AI model.
 */
export function createOfflineProvider(): LlmProvider {
  return {
    name: 'offline',
    model: OFFLINE_MODEL,
    capabilities: { toolCalls: true, exactUsage: false, offline: true },
    async close() {},
    async *stream(request: ResolvedRequest, call: ProviderCall): AsyncGenerator<LlmEvent, void, undefined> {
      if (call.signal.aborted) throw abortReason(call.signal);
      const { reply } = offlineReply(request);
      const budgetChars = request.maxTokens * 4; // mirrors estimateTokens
      let text = '';
      let truncated = false;
      for (const chunk of streamChunks(reply.text)) {
        if (text.length + chunk.length > budgetChars) {
          truncated = true;
          break;
        }
        // Yield to the event loop so a consumer's abort (or a timer) can land between deltas.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (call.signal.aborted) throw abortReason(call.signal);
        text += chunk;
        yield { type: 'text', delta: chunk };
      }

      const toolCalls: ToolCall[] = truncated
        ? []
        : (reply.toolCalls ?? []).map((toolCall) => ({
            id: `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
            name: toolCall.name,
            arguments: JSON.stringify(toolCall.arguments),
          }));
      for (const [index, toolCall] of toolCalls.entries()) {
        yield { type: 'tool_call_delta', index, id: toolCall.id, name: toolCall.name, argumentsDelta: toolCall.arguments };
        yield { type: 'tool_call', toolCall };
      }
      yield {
        type: 'done',
        result: {
          text,
          toolCalls,
          finishReason: truncated ? 'length' : toolCalls.length > 0 ? 'tool_calls' : 'stop',
          usage: {
            inputTokens: estimateInputTokens(request.messages, request.tools),
            outputTokens: estimateTokens(text) + toolCalls.reduce((n, c) => n + estimateTokens(c.name) + estimateTokens(c.arguments), 0),
            approximate: true,
          },
          provider: 'offline',
          model: OFFLINE_MODEL,
        },
      };
    },
  };
}
