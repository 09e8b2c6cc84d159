import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config/config.js';

/**
 * The process logger (pino). Fastify uses it for requests; services get children of it.
 * Personal data (emails, names, prompts, transcripts) is only ever logged at debug level, and
 * what could carry it by accident is cleaned here, whatever the call site: errors keep their
 * type, code and SQL text but lose the values (a database error's `params` and `detail` name the
 * email of a duplicate sign-up), email addresses are masked, and request URLs lose their query.
 */
const EMAIL = /[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+/g;
/** Drizzle's DrizzleQueryError: "Failed query: <sql>\nparams: <values>". */
const PARAMS = /\n\s*params:[\s\S]*$/;
/** Properties of driver errors that are safe: what failed, never the values involved (`detail`, `where`, `params`). */
const SAFE_FIELDS = ['code', 'severity', 'constraint', 'table', 'column', 'schema', 'routine', 'statusCode', 'status'] as const;

export function scrubText(text: string): string {
  return text.replace(PARAMS, '\nparams: [redacted]').replace(EMAIL, '[email]');
}

/** An error as logged: type, scrubbed message and stack, the safe fields of driver errors, its causes. */
export function scrubError(err: unknown, depth = 0): unknown {
  if (typeof err === 'string') return scrubText(err);
  if (!(err instanceof Error)) return err === null || err === undefined ? err : { type: typeof err };
  const message = scrubText(err.message);
  const out: Record<string, unknown> = { type: err.constructor?.name ?? err.name, message };
  if (err.stack) out.stack = scrubText(err.stack.replace(err.message, message));
  const fields = err as unknown as Record<string, unknown>;
  for (const key of SAFE_FIELDS) {
    const value = fields[key];
    if (typeof value === 'string' || typeof value === 'number') out[key] = value;
  }
  if (typeof fields.query === 'string') out.query = fields.query;
  if (err.cause !== undefined && depth < 4) out.cause = scrubError(err.cause, depth + 1);
  return out;
}

/** A request as logged: no query string (tokens, emails, search text travel there), no headers. */
function requestSummary(req: { method?: string; url?: string; ip?: string; routeOptions?: { url?: string } }) {
  return { method: req.method, url: req.url?.split('?')[0], route: req.routeOptions?.url, remoteAddress: req.ip };
}

export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'NODE_ENV'>, enabled = true, destination?: DestinationStream): Logger {
  if (!enabled) return pino({ level: 'silent' });
  const pretty = config.NODE_ENV === 'development' && process.stdout.isTTY && !destination;
  const options = {
    level: config.LOG_LEVEL,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    serializers: { err: (err: unknown) => scrubError(err), req: requestSummary },
    ...(pretty ? { transport: { target: 'pino-pretty' } } : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}
