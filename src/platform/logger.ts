import { pino, type Logger } from 'pino';
import type { Config } from '../config/config.js';

/**
 * The process logger (pino). Fastify uses it for requests; services get children of it.
 * Personal data (emails, prompts, transcripts) is only ever logged at debug level.
 */
export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'NODE_ENV'>, enabled = true): Logger {
  if (!enabled) return pino({ level: 'silent' });
  const pretty = config.NODE_ENV === 'development' && process.stdout.isTTY;
  return pino({
    level: config.LOG_LEVEL,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    ...(pretty ? { transport: { target: 'pino-pretty' } } : {}),
  });
}
