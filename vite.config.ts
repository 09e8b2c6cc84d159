import { fileURLToPath } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions } from 'vite';

const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const API_TARGET = 'http://localhost:3000';

/**
 * The server refuses cookie-authenticated writes from untrusted origins. Through the dev proxy
 * the browser's Origin is the Vite server (http://localhost:5173), so it is rewritten to the
 * API's own origin: the dev setup then behaves like the production one, where Fastify serves
 * the SPA from the same origin.
 */
const proxy: ProxyOptions = {
  target: API_TARGET,
  ws: true,
  configure: (server) => {
    server.on('proxyReq', (request) => {
      if (request.getHeader('origin')) request.setHeader('origin', API_TARGET);
    });
  },
};

/**
 * The React SPA in src/web, built to dist/web (served by Fastify). Only VITE_-prefixed
 * variables can reach the bundle (Vite's default envPrefix); never `define` process.env here —
 * tests/e2e/no-secrets.e2e.ts checks that server secrets stay out of the build.
 */
export default defineConfig({
  root: fromRoot('./src/web'),
  envDir: fromRoot('.'),
  plugins: [react(), tailwindcss()],
  build: {
    outDir: fromRoot('./dist/web'),
    emptyOutDir: true,
    // dist/web/.vite/manifest.json: which chunks each page loads (scripts/web-bundle-size.ts).
    manifest: true,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: { '/api': proxy, '/v1': proxy },
  },
  preview: { port: 5173 },
});
