/**
 * The OpenAI Realtime (GA) wire protocol as spoken by the self-hosted engine: zod schemas for the
 * client events we accept, and server event types taken from the official `openai` SDK so every
 * event we send is checked against the real definitions at compile time.
 */
import type * as RT from 'openai/resources/realtime/realtime';
import { z } from 'zod';
import { VOICE_IDS } from './voices.js';

/** The voices a session may use (the eight of OpenAI Realtime). */
export const VOICES = VOICE_IDS;

const eventId = z.string().max(200).optional();

/**
 * Base64 audio, checked with one character-class scan: zod's own base64 pattern costs ~20× more
 * on a 1 MB append, CPU a client could make the server spend at will. Its size limits are the
 * session's (session-limits.ts); this bound only stops absurd strings.
 */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const base64Audio = z
  .string()
  .max(16_000_000)
  .refine((value) => value.length % 4 === 0 && BASE64.test(value), { message: 'Invalid base64' });

const serverVad = z.object({
  type: z.literal('server_vad'),
  threshold: z.number().gt(0).lt(1).optional(),
  prefix_padding_ms: z.number().int().min(0).max(5000).optional(),
  silence_duration_ms: z.number().int().min(50).max(10_000).optional(),
  create_response: z.boolean().optional(),
  interrupt_response: z.boolean().optional(),
  idle_timeout_ms: z.number().int().nullable().optional(),
});
const semanticVad = z.object({
  type: z.literal('semantic_vad'),
  eagerness: z.enum(['low', 'medium', 'high', 'auto']).optional(),
  create_response: z.boolean().optional(),
  interrupt_response: z.boolean().optional(),
});
export const turnDetectionSchema = z.discriminatedUnion('type', [serverVad, semanticVad]).nullable();
export type TurnDetection = z.infer<typeof turnDetectionSchema>;

const pcm24k = z.object({ type: z.literal('audio/pcm'), rate: z.literal(24_000).optional() });

export const functionToolSchema = z.object({
  type: z.literal('function').default('function'),
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
  description: z.string().max(4000).optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
});

export const sessionSchema = z.object({
  type: z.literal('realtime').optional(),
  model: z.string().optional(),
  instructions: z.string().max(100_000).optional(),
  output_modalities: z.array(z.enum(['audio', 'text'])).min(1).optional(),
  max_output_tokens: z.union([z.number().int().min(1).max(4096), z.literal('inf')]).optional(),
  tool_choice: z.union([z.enum(['auto', 'none', 'required']), z.object({ type: z.literal('function'), name: z.string() })]).optional(),
  tools: z.array(functionToolSchema).max(64).optional(),
  audio: z
    .object({
      input: z
        .object({
          format: pcm24k.optional(),
          turn_detection: turnDetectionSchema.optional(),
          transcription: z.object({ model: z.string().optional(), language: z.enum(['en', 'fr']).optional() }).nullable().optional(),
          noise_reduction: z.unknown().optional(),
        })
        .optional(),
      output: z.object({ format: pcm24k.optional(), voice: z.enum(VOICES).optional(), speed: z.number().optional() }).optional(),
    })
    .optional(),
});
export type SessionUpdate = z.infer<typeof sessionSchema>;

const text = z.string().max(100_000);
const userContent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('input_text'), text }),
  z.object({ type: z.literal('input_audio'), audio: z.string().optional(), transcript: text.optional() }),
]);
const itemId = z.string().max(64).optional();
export const clientItemSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('message'),
    id: itemId,
    role: z.enum(['user', 'system', 'assistant']),
    content: z.array(z.union([userContent, z.object({ type: z.enum(['output_text', 'output_audio']), text: text.optional(), transcript: text.optional() })])).min(1),
  }),
  z.object({ type: z.literal('function_call_output'), id: itemId, call_id: z.string().min(1).max(200), output: text }),
]);
export type ClientItem = z.infer<typeof clientItemSchema>;

export const clientEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('session.update'), event_id: eventId, session: sessionSchema }),
  z.object({ type: z.literal('input_audio_buffer.append'), event_id: eventId, audio: base64Audio }),
  z.object({ type: z.literal('input_audio_buffer.commit'), event_id: eventId }),
  z.object({ type: z.literal('input_audio_buffer.clear'), event_id: eventId }),
  z.object({ type: z.literal('conversation.item.create'), event_id: eventId, previous_item_id: z.string().nullable().optional(), item: clientItemSchema }),
  z.object({
    type: z.literal('conversation.item.truncate'),
    event_id: eventId,
    item_id: z.string(),
    content_index: z.number().int().min(0),
    audio_end_ms: z.number().int().min(0),
  }),
  z.object({
    type: z.literal('response.create'),
    event_id: eventId,
    response: z.object({ instructions: z.string().max(100_000).optional(), output_modalities: z.array(z.enum(['audio', 'text'])).optional() }).optional(),
  }),
  z.object({ type: z.literal('response.cancel'), event_id: eventId, response_id: z.string().optional() }),
]);
export type ClientEvent = z.infer<typeof clientEventSchema>;
/** A client event as a sender writes it (defaulted fields may be left out). */
export type ClientEventInput = z.input<typeof clientEventSchema>;
/** What a browser client sends: the events the engine accepts, and OpenAI's WebRTC-only `output_audio_buffer.clear`. */
export type BrowserClientEvent = ClientEventInput | RT.OutputAudioBufferClearEvent;

export type ServerEventType =
  | 'error'
  | 'session.created'
  | 'session.updated'
  | 'input_audio_buffer.speech_started'
  | 'input_audio_buffer.speech_stopped'
  | 'input_audio_buffer.committed'
  | 'input_audio_buffer.cleared'
  | 'conversation.item.added'
  | 'conversation.item.done'
  | 'conversation.item.truncated'
  | 'conversation.item.input_audio_transcription.completed'
  | 'conversation.item.input_audio_transcription.failed'
  | 'response.created'
  | 'response.done'
  | 'response.output_item.added'
  | 'response.output_item.done'
  | 'response.content_part.added'
  | 'response.content_part.done'
  | 'response.output_audio.delta'
  | 'response.output_audio.done'
  | 'response.output_audio_transcript.delta'
  | 'response.output_audio_transcript.done'
  | 'response.function_call_arguments.done';

/** The server events the engine sends, exactly as the SDK defines them. */
export type ServerEvent = Extract<RT.RealtimeServerEvent, { type: ServerEventType }>;
/**
 * Every server event of the protocol as the SDK defines it: what a browser client may receive,
 * from the engine (`ServerEvent`, a subset) or from OpenAI (`output_audio_buffer.*` over WebRTC,
 * text replies…).
 */
export type RealtimeServerEvent = RT.RealtimeServerEvent;
/** A server event before the engine stamps its `event_id`. */
export type OutgoingEvent = ServerEvent extends infer E ? (E extends ServerEvent ? Omit<E, 'event_id'> : never) : never;
/** The item kinds the engine keeps (no MCP items). */
export type ConversationItem =
  | RT.RealtimeConversationItemUserMessage
  | RT.RealtimeConversationItemAssistantMessage
  | RT.RealtimeConversationItemSystemMessage
  | RT.RealtimeConversationItemFunctionCall
  | RT.RealtimeConversationItemFunctionCallOutput;
export type RealtimeResponse = RT.RealtimeResponse;
export type SessionObject = RT.RealtimeSessionCreateRequest & { id: string; object: 'realtime.session' };

export type ParseResult = { ok: true; event: ClientEvent } | { ok: false; message: string; code: string; eventId?: string; param?: string };

/** Parses one client frame; never throws. */
export function parseClientEvent(raw: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, code: 'invalid_json', message: 'The event is not valid JSON.' };
  }
  const eventIdValue = typeof json === 'object' && json !== null && typeof (json as { event_id?: unknown }).event_id === 'string' ? (json as { event_id: string }).event_id : undefined;
  const type = typeof json === 'object' && json !== null ? (json as { type?: unknown }).type : undefined;
  const parsed = clientEventSchema.safeParse(json);
  if (parsed.success) return { ok: true, event: parsed.data };
  const issue = parsed.error.issues[0];
  const known = clientEventSchema.options.some((o) => o.shape.type.value === type);
  const base = { ...(eventIdValue !== undefined ? { eventId: eventIdValue } : {}) };
  if (!known) return { ok: false, code: 'invalid_value', message: `Unsupported event type: ${typeof type === 'string' ? type.slice(0, 80) : String(type)}`, param: 'type', ...base };
  const param = issue?.path.join('.') ?? '';
  return { ok: false, code: 'invalid_value', message: `Invalid '${param || 'event'}': ${issue?.message ?? 'bad value'}`, param, ...base };
}
