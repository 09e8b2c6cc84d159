import { pcm16ToFloat, REALTIME_SAMPLE_RATE } from './pcm.js';

interface Scheduled {
  source: AudioBufferSourceNode;
  itemId: string;
  startTime: number;
  duration: number;
}

/** What was cut when playback stopped: the item and how much of it the user actually heard. */
export interface StoppedPlayback {
  itemId: string;
  playedMs: number;
}

/**
 * Assistant audio → speakers. PCM16 24 kHz chunks are scheduled back to back as
 * AudioBufferSourceNodes on one AudioContext; `stop()` silences everything at once (barge-in,
 * cancel) and says how many ms of the current item were really played, for
 * `conversation.item.truncate`'s `audio_end_ms`.
 */
export class PlaybackQueue {
  private scheduled: Scheduled[] = [];
  private nextTime = 0;
  private finishedMs = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Per item: ms of it already finished playing (chunks no longer in `scheduled`). */
  private finishedByItem = new Map<string, number>();

  constructor(
    private readonly context: AudioContext,
    private readonly handlers: {
      /** The first chunk of an item starts playing at `atMs` (performance.now() clock). */
      onItemStart?: (itemId: string, atMs: number) => void;
      /** Nothing left to play. */
      onIdle?: () => void;
    } = {},
  ) {}

  get playing(): boolean {
    return this.scheduled.length > 0;
  }

  /** Total ms of audio played since the queue was created (chunks cut short count what played). */
  playedMs(): number {
    const now = this.context.currentTime;
    let inFlight = 0;
    for (const s of this.scheduled) inFlight += Math.min(Math.max(now - s.startTime, 0), s.duration);
    return this.finishedMs + inFlight * 1000;
  }

  enqueue(itemId: string, pcm: Int16Array): void {
    if (pcm.length === 0) return;
    clearTimeout(this.idleTimer);
    const buffer = this.context.createBuffer(1, pcm.length, REALTIME_SAMPLE_RATE);
    buffer.copyToChannel(pcm16ToFloat(pcm) as Float32Array<ArrayBuffer>, 0);
    const source = this.context.createBufferSource();
    source.buffer = buffer;
    source.connect(this.context.destination);
    const now = this.context.currentTime;
    // A small lead when (re)starting so the first chunk is not clipped.
    const startTime = Math.max(this.nextTime, now + 0.02);
    const firstOfItem = !this.scheduled.some((s) => s.itemId === itemId) && !this.finishedByItem.has(itemId);
    const entry: Scheduled = { source, itemId, startTime, duration: buffer.duration };
    this.scheduled.push(entry);
    this.nextTime = startTime + buffer.duration;
    source.onended = () => this.finished(entry);
    source.start(startTime);
    if (firstOfItem) this.handlers.onItemStart?.(itemId, performance.now() + (startTime - now) * 1000);
  }

  private finished(entry: Scheduled): void {
    const index = this.scheduled.indexOf(entry);
    if (index === -1) return; // already accounted for by stop()
    this.scheduled.splice(index, 1);
    this.finishedMs += entry.duration * 1000;
    this.finishedByItem.set(entry.itemId, (this.finishedByItem.get(entry.itemId) ?? 0) + entry.duration * 1000);
    if (this.scheduled.length === 0) this.idleTimer = setTimeout(() => !this.playing && this.handlers.onIdle?.(), 0);
  }

  /** Stops all audio now. Returns the item being played (or due next) and the ms of it heard. */
  stop(): StoppedPlayback | null {
    if (this.scheduled.length === 0) return null;
    const now = this.context.currentTime;
    const current = this.scheduled.find((s) => now < s.startTime + s.duration) ?? this.scheduled[this.scheduled.length - 1]!;
    let playedMs = this.finishedByItem.get(current.itemId) ?? 0;
    for (const s of this.scheduled) {
      const played = Math.min(Math.max(now - s.startTime, 0), s.duration) * 1000;
      this.finishedMs += played;
      if (s.itemId === current.itemId) playedMs += played;
      s.source.onended = null;
      try {
        s.source.stop();
      } catch {
        // not started yet in some engines: disconnecting silences it anyway
      }
      s.source.disconnect();
    }
    this.scheduled = [];
    this.nextTime = 0;
    this.handlers.onIdle?.();
    return { itemId: current.itemId, playedMs: Math.round(playedMs) };
  }
}
