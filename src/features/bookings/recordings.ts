import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { parse as parseContentType } from 'content-type';
import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { recordings, reservations } from './tables.js';
import type { Actor } from '../../platform/actor.js';
import { parseByteRange } from '../../platform/byte-range.js';
import { AppError } from '../../platform/errors.js';
import { inOrganization } from '../../platform/scope.js';
import { TooLargeError, type Storage } from '../../providers/storage/types.js';
import type { RecordingMedia, VideoProvider } from '../../providers/video/types.js';
import type { Reservations } from './reservations.js';

type ReservationRow = typeof reservations.$inferSelect;

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

/** The media types a recording may have, and the file extension each is stored and served with. */
export const RECORDING_MEDIA_TYPES: Readonly<Record<string, string>> = {
  'video/webm': 'webm',
  'video/mp4': 'mp4',
  'audio/webm': 'weba',
  'audio/mp4': 'm4a',
};

/** A recording's media type, as stored and served: one of RECORDING_MEDIA_TYPES, without parameters. */
export function recordingMediaType(header: string): string {
  let type: string;
  try {
    // RFC 9110 syntax, parameters (codecs=…, quoted or not) included; the type comes back lower-cased.
    type = parseContentType(header).type;
  } catch {
    type = '';
  }
  if (!Object.hasOwn(RECORDING_MEDIA_TYPES, type)) {
    throw new AppError('VALIDATION_FAILED', `Invalid file: a recording is ${Object.keys(RECORDING_MEDIA_TYPES).join(', ')}.`, { field: 'file', accepted: Object.keys(RECORDING_MEDIA_TYPES) });
  }
  return type;
}

/** What one session may hold, and until when its coach may upload. */
export interface RecordingLimits {
  /** One file (RECORDING_MAX_BYTES). */
  maxBytes: number;
  /** Recordings per session (RECORDING_MAX_PER_SESSION). */
  maxPerSession: number;
  /** All the recordings of one session together (RECORDING_MAX_SESSION_BYTES). */
  maxSessionBytes: number;
  /** Uploads are taken until this long after the room expired (RECORDING_UPLOAD_GRACE_MS). */
  uploadGraceMs: number;
}

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
export function createRecordings(db: Db, deps: { reservations: Reservations; storage: Storage; provider: VideoProvider; limits: RecordingLimits; now?: () => number }) {
  const now = deps.now ?? Date.now;
  const { limits } = deps;

  /** 409 when the session takes no more uploads: cancelled, or its room expired longer ago than the grace. */
  function assertUploadable(row: ReservationRow): void {
    if (row.status === 'cancelled') throw new AppError('CONFLICT', 'This session was cancelled: it takes no recording.', { reason: 'cancelled' });
    const closesAtMs = row.roomExpiresAt.getTime() + limits.uploadGraceMs;
    if (now() > closesAtMs) {
      throw new AppError('CONFLICT', 'This session ended too long ago to take a recording.', { reason: 'ended', closedAt: new Date(closesAtMs).toISOString() });
    }
  }

  /** The session's recordings so far, and 409/413 when it holds as many or as much as it may. */
  async function assertRoomFor(runner: Pick<Db, 'select'>, reservationId: string): Promise<{ count: number; bytes: number }> {
    const [usage] = await runner
      .select({ count: sql<string>`count(*)`, bytes: sql<string>`coalesce(sum(${recordings.sizeBytes}), 0)` })
      .from(recordings)
      .where(eq(recordings.reservationId, reservationId));
    const count = Number(usage?.count ?? 0);
    const bytes = Number(usage?.bytes ?? 0);
    if (count >= limits.maxPerSession) {
      throw new AppError('CONFLICT', `A session holds at most ${limits.maxPerSession} recordings.`, { reason: 'too_many_recordings', limit: limits.maxPerSession });
    }
    if (bytes >= limits.maxSessionBytes) throw sessionFull();
    return { count, bytes };
  }
  const sessionFull = () =>
    new AppError('PAYLOAD_TOO_LARGE', `The recordings of a session may total at most ${limits.maxSessionBytes} bytes.`, { reason: 'session_bytes', limit: limits.maxSessionBytes });
  const fileTooLarge = () => new AppError('PAYLOAD_TOO_LARGE', `A recording may be at most ${limits.maxBytes} bytes.`, { reason: 'file_bytes', limit: limits.maxBytes });

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
      const contentType = recordingMediaType(file.contentType);
      assertUploadable(row);
      // The file may take what is left of the session's total (checked again, locked, below).
      const before = await assertRoomFor(db, row.id);
      const sessionLeft = limits.maxSessionBytes - before.bytes;
      const maxBytes = Math.min(limits.maxBytes, sessionLeft);
      const id = randomUUID();
      const storageKey = `recordings/${row.organizationId}/${row.id}/${id}.${RECORDING_MEDIA_TYPES[contentType]}`;
      let size: number;
      try {
        size = await deps.storage.put(storageKey, file.stream, contentType, maxBytes);
      } catch (err) {
        if (err instanceof TooLargeError) throw maxBytes < limits.maxBytes ? sessionFull() : fileTooLarge();
        throw err;
      }
      try {
        const rec = await db.transaction(async (tx) => {
          // Uploads of one session are counted under its row's lock: parallel uploads cannot
          // together pass the count or the total, nor land in a session cancelled meanwhile.
          const [locked] = await tx.select().from(reservations).where(eq(reservations.id, row.id)).for('update');
          if (!locked) throw new AppError('NOT_FOUND', 'Reservation not found.');
          assertUploadable(locked);
          const usage = await assertRoomFor(tx, row.id);
          if (usage.bytes + size > limits.maxSessionBytes) throw sessionFull();
          const [inserted] = await tx
            .insert(recordings)
            .values({ id, organizationId: row.organizationId, reservationId: row.id, source: 'builtin', externalId: id, storageKey, contentType, sizeBytes: size })
            .returning();
          return inserted!;
        });
        return view(rec);
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
    async open(actor: Actor, recordingId: string, range?: string): Promise<RecordingMedia & { filename: string }> {
      const [rec] = await db.select().from(recordings).where(inOrganization(actor, recordings.organizationId, eq(recordings.id, recordingId)));
      if (!rec) throw new AppError('NOT_FOUND', 'Recording not found.');
      await deps.reservations.forParticipant(actor, rec.reservationId);
      // Served as the type we stored (never the vendor's answer), under a name we make.
      const contentType = Object.hasOwn(RECORDING_MEDIA_TYPES, rec.contentType) ? rec.contentType : 'application/octet-stream';
      const filename = `recording-${rec.id}.${RECORDING_MEDIA_TYPES[contentType] ?? 'bin'}`;
      if (rec.source === 'daily') {
        if (!deps.provider.openRecording) throw new AppError('PROVIDER_UNAVAILABLE', 'Daily is not configured on this server.');
        return { ...(await deps.provider.openRecording(rec.externalId, range)), contentType, filename };
      }
      const size = rec.sizeBytes;
      const wanted = size === null ? null : parseByteRange(range, size);
      if (wanted === 'unsatisfiable') throw new AppError('RANGE_NOT_SATISFIABLE', 'The requested range is outside the recording.', { field: 'range', size });
      if (wanted && size !== null) {
        const body = await deps.storage.get(rec.storageKey!, wanted);
        return { status: 206, body, contentType, filename, contentLength: wanted.end - wanted.start + 1, contentRange: `bytes ${wanted.start}-${wanted.end}/${size}`, acceptRanges: true };
      }
      const body = await deps.storage.get(rec.storageKey!);
      return { status: 200, body, contentType, filename, contentLength: size, contentRange: null, acceptRanges: size !== null };
    },
  };
}

export type Recordings = ReturnType<typeof createRecordings>;
