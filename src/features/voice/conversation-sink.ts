import type { ConversationKind } from '../../shared/conversations.js';
import type { ConversationStore } from '../conversations/conversation-store.js';
import type { RealtimeIdentity } from '../../providers/voice/realtime/stages.js';
import type { TranscriptItem, TranscriptSink } from '../../providers/voice/realtime/transcript.js';

export interface ConversationSinkOptions {
  store: Pick<ConversationStore, 'start' | 'saveItem' | 'end'>;
  kind: ConversationKind;
  model?: string;
  onError?: (err: unknown) => void;
}

/**
 * Realtime engine transcripts → the conversation store. One conversation per realtime connection,
 * whose id IS the realtime session id (sent to the browser in `session.created`), so the client
 * can open the transcript without another round trip. Items are saved as each completes; the
 * conversation ends `completed` on a clean close, `interrupted` when the socket drops mid-way.
 * A replayed item id is a no-op, except a truncation (a played reply cut later), which the store
 * applies: the saved text is then what was actually played.
 */
export function createConversationSink(identity: RealtimeIdentity, sessionId: string, options: ConversationSinkOptions): TranscriptSink {
  let conversation: Promise<string> | undefined;
  const started = (): Promise<string> =>
    (conversation ??= options.store
      .start({
        id: sessionId,
        organizationId: identity.organizationId,
        userId: identity.userId,
        kind: options.kind,
        title: 'Voice coach',
        provider: 'local',
        ...(options.model ? { model: options.model } : {}),
      })
      .then((row) => row.id));

  const guard = async (work: () => Promise<unknown>): Promise<void> => {
    try {
      await work();
    } catch (err) {
      options.onError?.(err);
    }
  };

  return {
    save: (item: TranscriptItem) =>
      guard(async () => {
        const id = await started();
        await options.store.saveItem(id, {
          itemId: item.id,
          role: item.role,
          type: item.kind,
          text: item.text,
          startMs: Math.max(0, Math.round(item.startMs)),
          endMs: Math.max(0, Math.round(item.endMs), Math.round(item.startMs)),
          status: item.status,
        });
      }),
    close: (reason) => guard(async () => options.store.end(await started(), reason)),
  };
}
