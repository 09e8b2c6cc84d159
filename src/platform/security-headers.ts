import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

export interface SecurityHeadersOptions {
  /** The URL people open (PUBLIC_URL): its WebSocket origin is the only one `connect-src` allows by default. */
  publicUrl: string;
  /** Extra origins the browser may connect to, only when configured (OpenAI Realtime's WebRTC offer, Daily). */
  connectOrigins: string[];
}

/** This server's own WebSocket origin (ws:// for http://, wss:// for https://). */
export function webSocketOrigin(publicUrl: string): string {
  const url = new URL(publicUrl);
  return `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`;
}

/**
 * Security headers (CSP, HSTS, frame and sniffing protections) on every response, set by the
 * `helmet` library. The middleware is built once here: @fastify/helmet rebuilt it (parsing the
 * CSP directives) on every request, a measurable share of a chat send's CPU.
 */
export function registerSecurityHeaders(app: FastifyInstance, options: SecurityHeadersOptions): void {
  const https = options.publicUrl.startsWith('https://');
  const setHeaders = helmet({
    // Served over HTTPS: HSTS and upgrade-insecure-requests (on plain HTTP they would break the app).
    strictTransportSecurity: https,
    contentSecurityPolicy: {
      directives: {
        upgradeInsecureRequests: https ? [] : null,
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        // Not `ws:` / `wss:`: a page (or an injected script) could then talk to any WebSocket server.
        connectSrc: ["'self'", webSocketOrigin(options.publicUrl), ...options.connectOrigins],
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
