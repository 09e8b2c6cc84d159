import contentDisposition from 'content-disposition';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/auth-hook.js';
import { AppError } from '../../platform/errors.js';
import { verifyDailySignature } from '../../providers/video/daily-webhook.js';
import type { DailyRecordingEvent, Recordings } from './recordings.js';
import { ZIdParams } from '../../shared/api/bookings.js';

const ZRecording = z.object({
  id: z.string(),
  reservationId: z.string(),
  source: z.enum(['daily', 'builtin']),
  contentType: z.string(),
  sizeBytes: z.number().nullable(),
  durationMs: z.number().nullable(),
  createdAt: z.string(),
});

const BYTE_RANGE = /^bytes=\d*-\d*(,\s*\d*-\d*)*$/;

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

/** Replays: Daily's signed webhook, the coach's browser upload, and playback for the two participants. */
export async function recordingRoutes(app: FastifyInstance, deps: { recordings: Recordings; dailyWebhookSecret: string | undefined }): Promise<void> {
  const tags = ['coaching sessions'];

  // The webhook needs the exact bytes Daily signed: its own scope keeps the raw JSON text.
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      request.rawBody = body as string;
      try {
        done(null, body === '' ? {} : JSON.parse(body as string));
      } catch {
        done(new AppError('VALIDATION_FAILED', 'The request body is not valid JSON.'), undefined);
      }
    });
    scope.withTypeProvider<ZodTypeProvider>().post('/api/webhooks/daily', {
      config: { auth: 'public' },
      schema: { tags, summary: 'Daily webhooks (recording.ready-to-download), verified by HMAC signature', body: z.record(z.string(), z.unknown()), response: { 200: z.object({ ok: z.literal(true), result: z.string() }) } },
    }, async (request) => {
      const secret = deps.dailyWebhookSecret;
      if (!secret) throw new AppError('NOT_FOUND', 'Daily webhooks are not configured (DAILY_WEBHOOK_SECRET).');
      const header = (name: string) => {
        const v = request.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      if (!verifyDailySignature({ secretBase64: secret, timestamp: header('x-webhook-timestamp'), signature: header('x-webhook-signature'), rawBody: request.rawBody ?? '' })) {
        throw new AppError('UNAUTHENTICATED', 'Invalid webhook signature.');
      }
      const body = request.body as unknown as DailyRecordingEvent;
      if (typeof body.type !== 'string') return { ok: true as const, result: 'ignored' }; // Daily's endpoint check sends {"test":"test"}
      return { ok: true as const, result: await deps.recordings.ingestDaily(body) };
    });
  });

  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post('/api/reservations/:id/recordings', {
    schema: {
      tags,
      summary:
        'Upload the browser recording of a built-in session (the coach; multipart field "file": video/webm, video/mp4, audio/webm or audio/mp4). 409 cancelled, ended too long ago or too many recordings; 413 over the file or session total.',
      params: ZIdParams,
      consumes: ['multipart/form-data'],
      response: { 201: z.object({ recording: ZRecording }) },
    },
  }, async (request, reply) => {
    const actor = actorOf(request);
    if (!request.isMultipart()) throw new AppError('VALIDATION_FAILED', 'Send the recording as multipart/form-data (field "file").', { field: 'file' });
    const file = await request.file();
    if (!file) throw new AppError('VALIDATION_FAILED', 'Invalid file: is required.', { field: 'file' });
    const recording = await deps.recordings.upload(actor, request.params.id, { stream: file.file, contentType: file.mimetype });
    return reply.status(201).send({ recording });
  });

  r.get('/api/reservations/:id/recordings', {
    schema: { tags, summary: "A session's replays (its coach and player only)", params: ZIdParams, response: { 200: z.object({ recordings: z.array(ZRecording) }) } },
  }, async (request) => ({ recordings: await deps.recordings.list(actorOf(request), request.params.id) }));

  r.get('/api/recordings/:id/media', {
    schema: {
      tags,
      summary: 'Watch a replay (its coach and player only), streamed from our storage or from Daily through this server; a single byte Range gives 206 (416 past the end)',
      params: ZIdParams,
    },
  }, async (request, reply) => {
    // Only a well-formed byte range is passed on; anything else is ignored, as RFC 9110 allows.
    const range = typeof request.headers.range === 'string' && BYTE_RANGE.test(request.headers.range) ? request.headers.range : undefined;
    const media = await deps.recordings.open(actorOf(request), request.params.id, range);
    void reply.header('cache-control', 'private, no-store');
    // The stored type exactly (one of the accepted media types), never sniffed, under our own file name.
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('content-disposition', contentDisposition(media.filename, { type: 'inline' }));
    void reply.status(media.status).type(media.contentType);
    if (media.contentLength !== null) void reply.header('content-length', media.contentLength);
    if (media.contentRange) void reply.header('content-range', media.contentRange);
    if (media.acceptRanges) void reply.header('accept-ranges', 'bytes');
    return reply.send(media.body);
  });
}
