/** Conversation transcripts as the engine hands them over, item by item, to a sink (DB, file…). */
export interface TranscriptItem {
  id: string;
  kind: 'message' | 'function_call' | 'function_call_output';
  role: 'user' | 'assistant' | 'system' | 'tool';
  text: string;
  /** When the turn started / ended, in ms from the start of the session. */
  startMs: number;
  endMs: number;
  /** `incomplete`: an assistant reply cut by barge-in or cancel (text = what was played). */
  status: 'completed' | 'incomplete';
  name?: string;
  callId?: string;
}

export interface TranscriptSink {
  /**
   * Called when an item completes. May be called again with the same `id` when an item changes
   * after completing (a played reply truncated later): sinks upsert by id.
   */
  save(item: TranscriptItem): Promise<void>;
  /** The socket closed: `completed` after a normal close with nothing in flight, else `interrupted`. */
  close(reason: 'completed' | 'interrupted'): Promise<void>;
}

/** Keeps items in memory; `items()` lists them ordered by when each turn started. */
export class MemoryTranscriptSink implements TranscriptSink {
  readonly saved: TranscriptItem[] = [];
  closedWith: 'completed' | 'interrupted' | undefined;
  private byId = new Map<string, TranscriptItem>();

  async save(item: TranscriptItem): Promise<void> {
    this.saved.push(item);
    this.byId.set(item.id, item);
  }

  async close(reason: 'completed' | 'interrupted'): Promise<void> {
    this.closedWith = reason;
  }

  items(): TranscriptItem[] {
    return [...this.byId.values()].sort((a, b) => a.startMs - b.startMs);
  }
}
