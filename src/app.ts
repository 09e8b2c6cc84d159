import { once } from 'node:events';
import cors from '@fastify/cors';
import multipart from '@fastify/multipart';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import type { DestinationStream, Logger } from 'pino';
import type { Config } from './config/config.js';
import { openDatabase, type Database } from './db/client.js';
import { migrate } from './db/migrate.js';
import { createAccessTokens } from './features/accounts/access-tokens.js';
import { accountRoutes } from './features/accounts/account-routes.js';
import { actorResolvers } from './features/accounts/actor-resolvers.js';
import { createApiKeys } from './features/accounts/api-keys.js';
import { createAuth } from './features/accounts/auth.js';
import { authRoutes } from './features/accounts/auth-routes.js';
import { createOrganizations } from './features/accounts/organizations.js';
import { createUsers } from './features/accounts/users.js';
import { llmHealth } from './providers/llm/llm-health.js';
import { conversationRoutes } from './features/conversations/conversation-routes.js';
import { createConversationStore } from './features/conversations/conversation-store.js';
import { evaluationRoutes } from './features/evaluation/evaluation-routes.js';
import { createEvaluations } from './features/evaluation/evaluations.js';
import { createAnnouncements } from './features/bookings/announcements.js';
import { bookingRoutes } from './features/bookings/booking-routes.js';
import { createReservations } from './features/bookings/reservations.js';
import { createVideoAccess, roomEjections } from './features/bookings/video-access.js';
import { createBookingMail } from './features/bookings/booking-mail.js';
import { outboxRoutes } from './features/mail/outbox-routes.js';
import { recordingRoutes } from './features/bookings/recording-routes.js';
import { createRecordings } from './features/bookings/recordings.js';
import { createStorage } from './providers/storage/create-storage.js';
import { createScheduler } from './features/jobs/scheduler.js';
import { createMailer } from './providers/mail/create-mailer.js';
import { createMail } from './features/mail/outbox.js';
import { createDbUsageSink } from './features/ai/usage-sink.js';
import { adminCreditRoutes } from './features/chat/admin-credit-routes.js';
import { chatRoutes } from './features/chat/chat-routes.js';
import { createChatSessions } from './features/chat/chat-sessions.js';
import { createCoachSettings } from './features/chat/coach-prompt.js';
import { DEFAULT_CONTEXT_BUDGET_TOKENS } from './features/chat/context-window.js';
import { createCreditLedger } from './features/chat/credit-ledger.js';
import { createSendMessage } from './features/chat/send-message.js';
import { createHealth, type HealthContributor } from './platform/health.js';
import { systemRoutes } from './features/system/system-routes.js';
import { voiceHealth } from './providers/voice/voice-health.js';
import { voiceRoutes } from './features/voice/voice-routes.js';
import { createVoiceSessions } from './features/voice/voice-sessions.js';
import { createVoiceMinutes, voiceAllowances } from './features/voice/voice-minutes.js';
import { voiceUsageRoutes } from './features/voice/voice-usage-routes.js';
import { OPENAI_DEFAULT_BASE_URL } from './features/voice/openai-client-secrets.js';
import { createRealtimeStages } from './providers/voice/create-realtime-stages.js';
import { DEFAULT_MAX_PAYLOAD_BYTES, realtimeHandleProtocols, realtimePreClose } from './providers/voice/realtime/websocket-server.js';
import { RealtimeSessionRegistry } from './providers/voice/realtime/session-registry.js';
import { createDbCredentialStore, createRedisCredentialStore } from './features/voice/credential-store.js';
import { createDbSessionSlots, createRedisSessionSlots } from './features/voice/session-slots.js';
import { createMemoryEjections, createRedisEjections } from './features/voice/voice-ejections.js';
import { createVoiceSessionGuard, SLOT_LEASE_MS } from './features/voice/voice-session-guard.js';
import { voiceEjectionHooks } from './features/voice/voice-ejection-hooks.js';
import { realtimeRoutes } from './features/voice/realtime-route.js';
import { registerAuthHook } from './platform/auth-hook.js';
import { registerInputGuards } from './platform/input-guards.js';
import { answerFrameworkError, registerErrorHandler } from './platform/error-handler.js';
import { createLogger } from './platform/logger.js';
import { registerOpenApi } from './platform/openapi.js';
import { WEB_DIST_DIR } from './config/paths.js';
import { registerRateLimit } from './platform/rate-limit.js';
import { registerSecurityHeaders } from './platform/security-headers.js';
import { connectRedis } from './platform/redis.js';
import { registerWebStatic } from './platform/web-static.js';
import { createLlm } from './providers/llm/index.js';
import { probeSpeech, type SpeechProbe } from './providers/voice/index.js';
import type { Clock } from './providers/voice/clock.js';
import { createVideoProvider } from './providers/video/create-video.js';
import { videoHealth } from './providers/video/video-health.js';
import { createMemoryBackplane } from './features/video/signaling/backplane.js';
import { createRedisBackplane } from './features/video/signaling/redis-backplane.js';
import { createSignalingHub } from './features/video/signaling/signaling-hub.js';
import { signalingRoutes } from './features/video/signaling/signaling-routes.js';
import { roomTokenKey } from './providers/video/room-token.js';

export interface AppOverrides {
  /** A database opened by the caller (tests); otherwise opened from config. */
  database?: Database;
  /** Serve a different SPA build folder (tests). */
  webDir?: string;
  logger?: boolean;
  /** Where log lines go instead of stdout (tests read them). */
  logDestination?: DestinationStream;
  /** Replaces the probe of installed speech packages (tests simulate missing ones). */
  speechProbe?: SpeechProbe;
  /** The realtime engine's time: sessions' limits and voice-minute leases (tests drive it by hand). */
  realtimeClock?: Clock;
}

/** Everything the app built, for main.ts, the CLI, the seed and tests. */
export interface AppContext {
  config: Config;
  database: Database;
  redis: Redis | null;
  logger: Logger;
  services: Awaited<ReturnType<typeof buildServices>>;
}

export async function buildServices(config: Config, database: Database, logger: Logger, redis: Redis | null = null) {
  const db = database.db;
  const auth = createAuth(config, db, logger.child({ component: 'auth' }));
  const llm = await createLlm(config, { usage: createDbUsageSink(database.raw), logger });
  const credits = createCreditLedger(database);
  const chatSessions = createChatSessions(db);
  const coachSettings = createCoachSettings(db);
  const sendMessage = createSendMessage({ raw: database.raw, llm, credits, contextBudgetTokens: DEFAULT_CONTEXT_BUDGET_TOKENS });

  const video = createVideoProvider(config);
  const announcements = createAnnouncements(db);
  const reservations = createReservations(db, { announcements, rules: { joinEarlyMs: config.VIDEO_JOIN_EARLY_MS, roomGraceMs: config.VIDEO_ROOM_GRACE_MS } });
  const videoAccess = createVideoAccess({
    reservations,
    provider: video,
    iceServers: config.ICE_SERVERS,
    joinEarlyMs: config.VIDEO_JOIN_EARLY_MS,
    tokenTtlMs: config.VIDEO_TOKEN_TTL_MS,
    logger: logger.child({ component: 'video' }),
  });
  reservations.listen(videoAccess.listener);
  const scheduler = createScheduler(db, { logger: logger.child({ component: 'jobs' }), pollMs: config.JOBS_POLL_MS, leaseMs: config.JOBS_LEASE_MS });
  const mail = createMail(db, createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM }), {
    sendLeaseMs: config.MAIL_SEND_LEASE_MS,
    messageIdDomain: new URL(config.PUBLIC_URL).hostname,
  });
  const bookingMail = createBookingMail(db, { mail, scheduler, publicUrl: config.PUBLIC_URL, reminderBeforeMs: config.VIDEO_JOIN_EARLY_MS });
  reservations.listen(bookingMail.listener);
  const storage = createStorage(config);
  const recordings = createRecordings(db, {
    reservations,
    storage,
    provider: video,
    limits: {
      maxBytes: config.RECORDING_MAX_BYTES,
      maxPerSession: config.RECORDING_MAX_PER_SESSION,
      maxSessionBytes: config.RECORDING_MAX_SESSION_BYTES,
      uploadGraceMs: config.RECORDING_UPLOAD_GRACE_MS,
    },
  });
  const users = createUsers(db, auth);
  const conversations = createConversationStore(db);
  const voiceMinutes = createVoiceMinutes(database, users, { allowances: voiceAllowances(config) });
  const evaluations = createEvaluations({ db, llm, conversations, scheduler, logger: logger.child({ component: 'evaluation' }) });
  // Local voice credentials' specs and one-time use: shared by every instance (Redis, else the database).
  const voiceCredentials = redis ? createRedisCredentialStore(redis, config.REDIS_KEY_PREFIX) : createDbCredentialStore(db);
  return {
    storage,
    recordings,
    scheduler,
    mail,
    video,
    announcements,
    reservations,
    videoAccess,
    auth,
    llm,
    conversations,
    evaluations,
    organizations: createOrganizations(db),
    users,
    apiKeys: createApiKeys(db),
    accessTokens: createAccessTokens(database, { secret: config.AUTH_SECRET, ttlMs: config.ACCESS_TOKEN_TTL_MS }),
    voiceMinutes,
    voiceCredentials,
    voiceSessions: createVoiceSessions(config, { isInOrganization: (userId, organizationId) => users.isInOrganization(userId, organizationId), credentials: voiceCredentials, minutes: voiceMinutes }),
    chat: { credits, sessions: chatSessions, coach: coachSettings, sendMessage },
  };
}

/** Opens the database (migrated) and builds the services, without HTTP (CLI, seed). */
export async function buildContext(config: Config, overrides: AppOverrides = {}): Promise<AppContext> {
  const database = overrides.database ?? (await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR }));
  await migrate(database);
  const redis = config.REDIS_URL ? connectRedis(config.REDIS_URL) : null;
  const logger = createLogger(config, overrides.logger !== false, overrides.logDestination);
  return { config, database, redis, logger, services: await buildServices(config, database, logger, redis) };
}

/** The ONE place that wires config → database → providers → features → HTTP. */
export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<{ app: FastifyInstance; context: AppContext }> {
  const context = await buildContext(config, overrides);
  const { database, redis, services } = context;
  const startedAtMs = Date.now();

  const app = Fastify({
    loggerInstance: context.logger as FastifyBaseLogger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    frameworkErrors: answerFrameworkError,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  const signaling = createSignalingHub({
    key: roomTokenKey(config.AUTH_SECRET),
    backplane: redis ? createRedisBackplane(redis, config.REDIS_KEY_PREFIX) : createMemoryBackplane(),
    logger: context.logger.child({ component: 'signaling' }),
    // A cancelled or moved session's tokens no longer admit anyone, and its peers are ejected.
    admit: (claims) => services.reservations.roomAdmission(claims.reservationId, claims.tokenVersion),
  });
  services.reservations.listen(roomEjections(signaling, context.logger.child({ component: 'video' })));
  app.addHook('onReady', async () => {
    // Serve once Redis is connected or has failed (refused, or ioredis's connect timeout): requests
    // and /api/health then see its real state, not a connection still being opened.
    // (events.once waiting for 'ready' rejects on 'error': both end the wait.)
    if (redis && redis.status !== 'ready') await once(redis, 'ready').catch(() => undefined);
    services.scheduler.start();
  });
  app.addHook('onClose', async () => {
    await services.scheduler.stop();
    await signaling.close();
    await services.llm.close();
    // Sessions ended by the shutdown (preClose) are still writing their voice minutes.
    await services.voiceMinutes.drain();
    redis?.disconnect();
    await database.close();
  });

  // With OpenAI Realtime the browser posts its WebRTC offer to OpenAI (or OPENAI_BASE_URL) itself;
  // with Daily its call frame's script talks to Daily's hosts.
  const connectOrigins = [
    ...(services.voiceSessions.provider === 'openai' ? [new URL(config.OPENAI_BASE_URL ?? OPENAI_DEFAULT_BASE_URL).origin] : []),
    ...(services.video.name === 'daily' ? ['https://*.daily.co', 'wss://*.daily.co'] : []),
  ];
  registerSecurityHeaders(app, { publicUrl: config.PUBLIC_URL, connectOrigins });
  // A bare OPTIONS (no Origin / Access-Control-Request-Method) is a plain HTTP request, not a bad
  // preflight: strict mode answered it 400 in text/plain, outside our error shape.
  await app.register(cors, { origin: config.CORS_ORIGINS, credentials: true, strictPreflight: false });
  const rateLimits = await registerRateLimit(app, {
    globalPerMinute: config.RATE_LIMIT_GLOBAL_PER_MINUTE,
    redis,
    keyPrefix: config.REDIS_KEY_PREFIX,
    logger: context.logger.child({ component: 'rate-limit' }),
  });
  await registerOpenApi(app, config.version);
  // One WebSocket server for video signaling and the realtime voice engine: it must pick the
  // `realtime` subprotocol browsers offer, and audio appends need more than signaling's messages.
  const realtimeSessions = new RealtimeSessionRegistry(overrides.realtimeClock);
  await app.register(websocket, { options: { maxPayload: DEFAULT_MAX_PAYLOAD_BYTES, handleProtocols: realtimeHandleProtocols }, preClose: realtimePreClose(realtimeSessions) });
  await app.register(multipart, { limits: { files: 1, fileSize: config.RECORDING_MAX_BYTES + 1, fields: 5 } });

  const resolvers = actorResolvers({ ...services, trustedOrigins: config.CORS_ORIGINS });
  registerAuthHook(app, resolvers);
  registerInputGuards(app);

  const speechProbe = overrides.speechProbe ?? probeSpeech;
  // The self-hosted engine's speech stages, loaded on the first realtime connection (below).
  const realtime = createRealtimeStages({
    probe: speechProbe,
    llm: services.llm,
    speech: { decoders: config.VOICE_STT_DECODERS, fwdflat: config.VOICE_STT_FWDFLAT, festivalProcesses: config.VOICE_TTS_FESTIVAL_PROCESSES },
    logger: app.log,
  });
  app.addHook('onClose', () => realtime.close());
  const voice = voiceHealth({ probe: speechProbe, provider: services.voiceSessions.provider, sttInUse: realtime.sttInUse });
  const voiceAvailability = async () => {
    const { active } = await voice.report();
    return { provider: services.voiceSessions.provider, speechInput: active.realtime === 'openai' || active.voiceInput === true };
  };
  const contributors: HealthContributor[] = [
    llmHealth(services.llm),
    voice,
    videoHealth(services.video),
    { name: 'mail', report: async () => ({ active: services.mail.mailer.describe() }) },
    { name: 'storage', report: async () => ({ active: services.storage.describe() }) },
  ];
  const health = createHealth({ version: config.version, database, redis, contributors, startedAtMs, rateLimits });

  await app.register(async (scope) => {
    await systemRoutes(scope, { config, health, llm: services.llm, voice: voiceAvailability });
    await authRoutes(scope, { config, db: database.db, auth: services.auth, accessTokens: services.accessTokens, organizations: services.organizations });
    await accountRoutes(scope, services);
    await conversationRoutes(scope, { store: services.conversations });
    await evaluationRoutes(scope, { evaluations: services.evaluations, aiPerMinute: config.RATE_LIMIT_AI_PER_MINUTE });
    await voiceRoutes(scope, { voiceSessions: services.voiceSessions, aiPerMinute: config.RATE_LIMIT_AI_PER_MINUTE });
    await voiceUsageRoutes(scope, { voiceMinutes: services.voiceMinutes });
    await chatRoutes(scope, { users: services.users, ...services.chat, aiPerMinute: config.RATE_LIMIT_AI_PER_MINUTE });
    await adminCreditRoutes(scope, { users: services.users, ...services.chat });
    await signalingRoutes(scope, signaling);
    await outboxRoutes(scope, services.mail);
    await recordingRoutes(scope, { recordings: services.recordings, dailyWebhookSecret: config.DAILY_WEBHOOK_SECRET });
    await bookingRoutes(scope, { announcements: services.announcements, reservations: services.reservations, video: services.videoAccess });
  });

  // Realtime voice: the self-hosted engine at /v1/realtime, stages loaded on the first connection.
  // Its sessions are bounded per user and organization and end when their credentials are revoked,
  // across instances (Redis when REDIS_URL, else the database and this process).
  const voiceEjections = redis ? createRedisEjections(redis, config.REDIS_KEY_PREFIX) : createMemoryEjections();
  const voiceGuard = createVoiceSessionGuard({
    credentials: services.voiceCredentials,
    slots: redis ? createRedisSessionSlots(redis, config.REDIS_KEY_PREFIX, SLOT_LEASE_MS) : createDbSessionSlots(database.db, SLOT_LEASE_MS),
    ejections: voiceEjections,
    registry: realtimeSessions,
    limits: { perUser: config.VOICE_MAX_SESSIONS_PER_USER, perOrganization: config.VOICE_MAX_SESSIONS_PER_ORGANIZATION },
    logger: context.logger.child({ component: 'realtime' }),
  });
  app.addHook('onClose', async () => {
    await voiceGuard.close();
    await voiceEjections.close();
  });
  voiceEjectionHooks(app, { ejections: voiceEjections, userOfCookies: async (request) => (await resolvers.fromCookies(request))?.userId ?? null, logger: context.logger });
  await realtimeRoutes(app, {
    authSecret: config.AUTH_SECRET,
    earlyReply: config.VOICE_EARLY_REPLY,
    realtime,
    conversations: services.conversations,
    voiceMinutes: services.voiceMinutes,
    ...(overrides.realtimeClock ? { clock: overrides.realtimeClock } : {}),
    credentials: services.voiceCredentials,
    guard: voiceGuard,
    registry: realtimeSessions,
    limits: { maxSessionMs: config.VOICE_MAX_SESSION_MS, idleTimeoutMs: config.VOICE_IDLE_TIMEOUT_MS, maxErrorsPerMinute: config.VOICE_MAX_ERRORS_PER_MINUTE },
  });

  await registerWebStatic(app, overrides.webDir ?? WEB_DIST_DIR);
  return { app, context };
}
