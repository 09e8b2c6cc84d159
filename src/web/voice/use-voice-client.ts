import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { VoiceProvider } from './voice-api.js';
import type { TextFallbackReason, VoiceClientEvent, VoiceError, VoiceState } from './voice-events.js';
import { VoiceClient, type VoiceClientOptions } from './voice-client.js';

export interface TranscriptEntry {
  itemId: string;
  role: 'user' | 'assistant';
  text: string;
  /** False while the assistant's words are still streaming. */
  final: boolean;
}

export interface VoiceView {
  state: VoiceState;
  input: { mode: 'voice' | 'text'; reason?: TextFallbackReason } | null;
  transcript: TranscriptEntry[];
  error: VoiceError | null;
  conversationId: string | null;
  provider: VoiceProvider | null;
  muted: boolean;
}

const initial: VoiceView = { state: 'idle', input: null, transcript: [], error: null, conversationId: null, provider: null, muted: false };

type Action = VoiceClientEvent | { type: 'reset' } | { type: 'muted'; muted: boolean };

function upsert(transcript: TranscriptEntry[], entry: TranscriptEntry, append: boolean): TranscriptEntry[] {
  const index = transcript.findIndex((e) => e.itemId === entry.itemId && e.role === entry.role);
  if (index === -1) return [...transcript, entry];
  const current = transcript[index]!;
  const next = { ...entry, text: append ? current.text + entry.text : entry.text };
  return transcript.map((e, i) => (i === index ? next : e));
}

function reduce(view: VoiceView, action: Action): VoiceView {
  switch (action.type) {
    case 'reset':
      return initial;
    case 'muted':
      return { ...view, muted: action.muted };
    case 'state':
      return { ...view, state: action.state, ...(action.state === 'listening' && view.error?.code === 'CONNECTION_LOST' ? { error: null } : {}) };
    case 'input':
      return { ...view, input: action.reason ? { mode: action.mode, reason: action.reason } : { mode: action.mode } };
    case 'session':
      return { ...view, provider: action.provider, conversationId: action.conversationId };
    case 'user.transcript':
      return { ...view, transcript: upsert(view.transcript, { itemId: action.itemId, role: 'user', text: action.text, final: true }, false) };
    case 'assistant.delta':
      return { ...view, transcript: upsert(view.transcript, { itemId: action.itemId, role: 'assistant', text: action.delta, final: false }, true) };
    case 'assistant.done':
      return { ...view, transcript: upsert(view.transcript, { itemId: action.itemId, role: 'assistant', text: action.text, final: true }, false) };
    case 'error':
      return { ...view, error: action.error };
    default:
      return view;
  }
}

/**
 * A VoiceClient bound to a screen: its events reduced to what the screen shows. `start(options)`
 * (from a click: audio needs a user gesture) replaces any previous conversation.
 */
export function useVoiceClient() {
  const [view, dispatch] = useReducer(reduce, initial);
  const clientRef = useRef<VoiceClient | null>(null);

  useEffect(() => () => void clientRef.current?.hangUp(), []);

  const start = useCallback((options: VoiceClientOptions) => {
    void clientRef.current?.hangUp();
    dispatch({ type: 'reset' });
    const client = new VoiceClient(options);
    clientRef.current = client;
    client.on(dispatch);
    void client.start();
  }, []);

  const hangUp = useCallback(() => void clientRef.current?.hangUp(), []);
  const sendText = useCallback((text: string) => clientRef.current?.sendText(text), []);
  const cancelReply = useCallback(() => clientRef.current?.cancelReply(), []);
  const setMuted = useCallback((muted: boolean) => {
    clientRef.current?.setMuted(muted);
    dispatch({ type: 'muted', muted });
  }, []);

  return { view, start, hangUp, sendText, cancelReply, setMuted };
}
