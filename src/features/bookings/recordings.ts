import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { recordings, reservations } from './tables.js';
import type { Actor } from '../../platform/actor.js';
import { parseByteRange } from '../../platform/byte-range.js';
import { AppError } from '../../platform/errors.js';
import { TooLargeError, type Storage } from '../../providers/storage/types.js';
import type { RecordingMedia, VideoProvider } from '../../providers/video/types.js';
import type { Reservations } from './reservations.js';

export interface RecordingView {
  id: string;
  reservationId: string;
  source: 'daily' | 'builtin';
  contentType: string;
  sizeBytes: number | null;
  durationMs: number | null;
  createdAt: string;
}

const view = (r: typeof recordings.$inferSelect): RecordingView => ({
  id: r.id,
  reservationId: r.reservationId,
  source: r.source,
  contentType: r.contentType,
  sizeBytes: r.sizeBytes,
  durationMs: r.durationMs,
  createdAt: r.createdAt.toISOString(),
});

/** Daily's `recording.ready-to-download` event (the fields we use). */
export interface DailyRecordingEvent {
  type: string;
  payload?: { recording_id?: unknown; room_name?: unknown; duration?: unknown };
}

/**
 * Replays of sessions. Only the session's coach and player may list or watch them (not even
 * admins: a coaching session is private). Daily recordings arrive by webhook (idempotent on
 * Daily's recording id); built-in ones are uploaded by the coach's browser.
 */
export function createRecordings(db: Db, deps: { reservations: Reservations; storage: Storage; provider: VideoProvider; maxBytes: number }) {
  return {
    async ingestDaily(event: DailyRecordingEvent): Promise<'stored' | 'duplicate' | 'ignored'> {
      if (event.type !== 'recording.ready-to-download') return 'ignored';
      const recordingId = event.payload?.recording_id;
      const roomName = event.payload?.room_name;
      if (typeof recordingId !== 'string' || typeof roomName !== 'string') return 'ignored';
      const [r] = await db.select().from(reservations).where(eq(reservations.roomName, roomName));
      if (!r) return 'ignored';
      const duration = typeof event.payload?.duration === 'number' ? Math.round(event.payload.duration * 1000) : null;
      const rows = await db
        .insert(recordings)
        .values({ id: randomUUID(), organizationId: r.organizationId, reservationId: r.id, source: 'daily', externalId: recordingId, contentType: 'video/mp4', durationMs: duration })
        .onConflictDoNothing()
        .returning({ id: recordings.id });
      return rows.length ? 'stored' : 'duplicate';
    },

    async upload(actor: Actor, reservationId: string, file: { stream: Readable; contentType: string }): Promise<RecordingView> {
      const { row, role } = await deps.reservations.forParticipant(actor, reservationId);
      if (role !== 'coach') throw new AppError('FORBIDDEN', 'Only the coach records the session.');
      if (!/^(video|audio)\/webm|^video\/mp4/.test(file.contentType)) {
        throw new AppError('VALIDATION_FAILED', 'Invalid file: a WebM or MP4 recording is expected.', { field: 'file' });
      }
      const id = randomUUID();
      const storageKey = `recordings/${row.organizationId}/${row.id}/${id}.${file.contentType.includes('mp4') ? 'mp4' : 'webm'}`;
      let size: number;
      try {
        size = await deps.storage.put(storageKey, file.stream, file.contentType, deps.maxBytes);
      } catch (err) {
        if (err instanceof TooLargeError) throw new AppError('PAYLOAD_TOO_LARGE', `A recording may be at most ${deps.maxBytes} bytes.`);
        throw err;
      }
      try {
        const [rec] = await db
          .insert(recordings)
          .values({ id, organizationId: row.organizationId, reservationId: row.id, source: 'builtin', externalId: id, storageKey, contentType: file.contentType.split(';')[0]!, sizeBytes: size })
          .returning();
        return view(rec!);
      } catch (err) {
        // No row, no file: a stored file nobody can list would only cost space.
        await deps.storage.remove(storageKey).catch(() => undefined);
        throw err;
      }
    },

    async list(actor: Actor, reservationId: string): Promise<RecordingView[]> {
      await deps.reservations.forParticipant(actor, reservationId);
      const rows = await db.select().from(recordings).where(eq(recordings.reservationId, reservationId)).orderBy(asc(recordings.createdAt));
      return rows.map(view);
    },

    /**
     * The media of a recording, streamed by our server: from our storage (built-in), one byte
     * range of it when the browser asks (206; 416 past the end), or from the vendor's
     * short-lived link (Daily) with the browser's Range passed on.
     */
    async open(actor: Actor, recordingId: string, range?: string): Promise<RecordingMedia> {
      const [rec] = await db.select().from(recordings).where(and(eq(recordings.id, recordingId), eq(recordings.organizationId, actor.organizationId)));
      if (!rec) throw new AppError('NOT_FOUND', 'Recording not found.');
      await deps.reservations.forParticipant(actor, rec.reservationId);
      if (rec.source === 'daily') {
        if (!deps.provider.openRecording) throw new AppError('PROVIDER_UNAVAILABLE', 'Daily is not configured on this server.');
        return deps.provider.openRecording(rec.externalId, range);
      }
      const size = rec.sizeBytes;
      const wanted = size === null ? null : parseByteRange(range, size);
      if (wanted === 'unsatisfiable') throw new AppError('RANGE_NOT_SATISFIABLE', 'The requested range is outside the recording.', { field: 'range', size });
      if (wanted && size !== null) {
        const body = await deps.storage.get(rec.storageKey!, wanted);
        return { status: 206, body, contentType: rec.contentType, contentLength: wanted.end - wanted.start + 1, contentRange: `bytes ${wanted.start}-${wanted.end}/${size}`, acceptRanges: true };
      }
      const body = await deps.storage.get(rec.storageKey!);
      return { status: 200, body, contentType: rec.contentType, contentLength: size, contentRange: null, acceptRanges: size !== null };
    },
  };
}

export type Recordings = ReturnType<typeof createRecordings>;
