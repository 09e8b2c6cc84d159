import { z } from 'zod';

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** One ICE server as RTCPeerConnection takes it (STUN or TURN). */
export const ZIceServer = z.object({
  urls: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof ZIceServer>;

const iceServers = z.preprocess(
  (v) => {
    if (v === undefined || v === '') return [];
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      return 'not JSON';
    }
  },
  z.array(ZIceServer, { message: 'must be a JSON array of {urls, username?, credential?}' }),
);

/** Video, mail and storage settings (fragments of config.ts). */
export const videoConfigSchema = z.object({
  VIDEO_PROVIDER: z.enum(['auto', 'builtin', 'daily']).default('auto'),
  DAILY_API_KEY: optional(z.string().min(1)),
  DAILY_API_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url().default('https://api.daily.co/v1')),
  DAILY_WEBHOOK_SECRET: optional(z.string().min(1)),
  ICE_SERVERS: iceServers,
  /** Minutes before the start when joining opens. */
  VIDEO_JOIN_EARLY_MS: z.coerce.number().int().min(0).default(15 * 60_000),
  /** How long after the session end the room stays open before everyone is ejected. */
  VIDEO_ROOM_GRACE_MS: z.coerce.number().int().min(0).default(30 * 60_000),
  VIDEO_TOKEN_TTL_MS: z.coerce.number().int().min(10_000).default(10 * 60_000),
  SMTP_URL: optional(z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')),
  MAIL_FROM: z.string().min(3).default('Coach Hub <no-reply@coachhub.local>'),
  STORAGE_DIR: optional(z.string().min(1)),
  S3_BUCKET: optional(z.string().min(1)),
  S3_REGION: z.string().default('us-east-1'),
  S3_ENDPOINT: optional(z.url()),
  S3_ACCESS_KEY_ID: optional(z.string().min(1)),
  S3_SECRET_ACCESS_KEY: optional(z.string().min(1)),
  RECORDING_MAX_BYTES: z.coerce.number().int().min(1024).default(500 * 1024 * 1024),
  /** Recordings one session may hold. */
  RECORDING_MAX_PER_SESSION: z.coerce.number().int().min(1).default(10),
  /** All the recordings of one session together. */
  RECORDING_MAX_SESSION_BYTES: z.coerce.number().int().min(1024).default(2 * 1024 * 1024 * 1024),
  /** How long after the room expired the coach may still upload its recording. */
  RECORDING_UPLOAD_GRACE_MS: z.coerce.number().int().min(0).default(2 * 60 * 60_000),
  JOBS_POLL_MS: z.coerce.number().int().min(50).default(5_000),
  /** How long a worker holds a job it claimed; a job whose worker died is taken over after it. */
  JOBS_LEASE_MS: z.coerce.number().int().min(1000).default(5 * 60_000),
  /** How long a worker holds an email it hands to SMTP; one left 'sending' by a crash is sent again after it. */
  MAIL_SEND_LEASE_MS: z.coerce.number().int().min(1000).default(4 * 60_000),
});
