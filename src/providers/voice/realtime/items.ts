/**
 * The one factory of conversation items (`object: "realtime.item"`): every item the engine adds
 * to a conversation — from the client, a voice turn, a response or a server tool — is built here.
 */
import type { ConversationItem } from '../../../shared/realtime-protocol.js';

export type Item = ConversationItem & { id: string };
type Status = 'completed' | 'in_progress' | 'incomplete';
type Of<T> = Extract<ConversationItem, T> & { id: string };
export type UserMessageItem = Of<{ type: 'message'; role: 'user' }>;
export type AssistantMessageItem = Of<{ type: 'message'; role: 'assistant' }>;
export type SystemMessageItem = Of<{ type: 'message'; role: 'system' }>;
export type FunctionCallItem = Of<{ type: 'function_call' }>;
export type FunctionCallOutputItem = Of<{ type: 'function_call_output' }>;

/** A user voice turn; its transcript is filled in when the STT is done. */
export function userAudioItem(id: string, transcript?: string): UserMessageItem {
  return { id, object: 'realtime.item', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_audio', ...(transcript !== undefined ? { transcript } : {}) }] };
}

export function userTextItem(id: string, text: string): UserMessageItem {
  return { id, object: 'realtime.item', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text }] };
}

export function systemItem(id: string, text: string): SystemMessageItem {
  return { id, object: 'realtime.item', type: 'message', role: 'system', status: 'completed', content: [{ type: 'input_text', text }] };
}

/** An assistant message written by the client (`conversation.item.create`). */
export function assistantTextItem(id: string, text: string): AssistantMessageItem {
  return { id, object: 'realtime.item', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text }] };
}

/** The assistant item of a response, spoken as it is written: no content until it is done. */
export function assistantAudioItem(id: string): AssistantMessageItem {
  return { id, object: 'realtime.item', type: 'message', role: 'assistant', status: 'in_progress', content: [] };
}

export function functionCallItem(id: string, callId: string, name: string, args: string, status: Status = 'completed'): FunctionCallItem {
  return { id, object: 'realtime.item', type: 'function_call', status, call_id: callId, name, arguments: args };
}

export function functionCallOutputItem(id: string, callId: string, output: string): FunctionCallOutputItem {
  return { id, object: 'realtime.item', type: 'function_call_output', status: 'completed', call_id: callId, output };
}
