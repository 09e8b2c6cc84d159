import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

export interface SecurityHeadersOptions {
  /** Served over HTTPS: adds HSTS and upgrade-insecure-requests (on plain HTTP they would break the app). */
  https: boolean;
  /** Extra origins the browser may connect to (OpenAI Realtime's WebRTC offer). */
  connectOrigins: string[];
}

/**
 * Security headers (CSP, HSTS, frame and sniffing protections) on every response, set by the
 * `helmet` library. The middleware is built once here: @fastify/helmet rebuilt it (parsing the
 * CSP directives) on every request, a measurable share of a chat send's CPU.
 */
export function registerSecurityHeaders(app: FastifyInstance, options: SecurityHeadersOptions): void {
  const setHeaders = helmet({
    strictTransportSecurity: options.https,
    contentSecurityPolicy: {
      directives: {
        upgradeInsecureRequests: options.https ? [] : null,
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'", 'ws:', 'wss:', ...options.connectOrigins],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        frameAncestors: ["'self'"],
        // Daily's prebuilt call frame (only used when DAILY_API_KEY is set).
        frameSrc: ["'self'", 'https://*.daily.co'],
      },
    },
  });
  app.addHook('onRequest', (request, reply, done) => {
    setHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined));
  });
}
