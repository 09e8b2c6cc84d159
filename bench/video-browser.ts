/**
 * Browser part of bench/video.ts: join → connected of a built-in room between two headless
 * Chromium contexts (fake camera/microphone) on loopback, through the real UI. Timed from the
 * second participant's "Entrer dans la salle" click until both pages report `connected`
 * (signaling + ICE + DTLS + first media).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { makeOrganization, makeUser } from '../src/seed/factories.js';
import { reservations } from '../src/features/bookings/tables.js';
import { launchBrowser } from '../tests/e2e/browser.js';
import { buildWeb } from '../tests/e2e/web-build.js';
import { freePort } from '../tests/helpers/free-port.js';

export async function joinToConnected(runs: number): Promise<number[]> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'coachhub-bench-browser-'));
  await buildWeb(join(dir, 'web'));
  const { app, context } = await buildApp(
    loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATA_DIR: join(dir, 'data'), AUTH_SECRET: 'bench-browser-secret-0123456789abcdef0123', PUBLIC_URL: `http://127.0.0.1:${port}`, JOBS_POLL_MS: '3600000' }),
    { webDir: join(dir, 'web'), logger: false },
  );
  const base = await app.listen({ port, host: '127.0.0.1' });
  const org = await makeOrganization(context);
  const coach = await makeUser(context, { organizationId: org.id, role: 'coach' });
  const player = await makeUser(context, { organizationId: org.id });
  const admin = { kind: 'apiKey' as const, organizationId: org.id, userId: null, role: 'admin' as const };
  await context.services.announcements.setAvailability(admin, coach.user.id, [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 0, endMinute: 1440, timeZone: 'UTC' })));
  const offer = await context.services.announcements.create(admin, { coachId: coach.user.id, title: 'Bench', description: '', durationMs: 3_600_000, priceCents: 0, currency: 'EUR', language: 'fr', discordUrl: null });
  const start = new Date(Date.now() + 2 * 86_400_000);
  start.setUTCHours(10, 0, 0, 0);
  const booked = await context.services.reservations.book({ kind: 'user', organizationId: org.id, userId: player.user.id, role: 'member' }, { announcementId: offer.id, coachId: coach.user.id, startDate: start.toISOString(), endDate: new Date(start.getTime() + 3_600_000).toISOString() });
  const soon = Date.now() + 5 * 60_000;
  await context.database.db.update(reservations).set({ startAt: new Date(soon), endAt: new Date(soon + 3_600_000), roomExpiresAt: new Date(soon + 5_400_000) }).where(eq(reservations.id, booked.id));

  const browser = await launchBrowser(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']);
  const pageFor = async (user: { email: string }, password: string): Promise<Page> => {
    const ctx = await browser.newContext({ baseURL: base });
    const page = await ctx.newPage();
    await page.goto('/login');
    await page.getByLabel('Adresse e-mail').fill(user.email);
    await page.getByLabel('Mot de passe').fill(password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    return page;
  };
  const pages = [await pageFor(coach.user, coach.password), await pageFor(player.user, player.password)];
  const status = (p: Page) => p.getByRole('dialog').locator('[data-status]').getAttribute('data-status', { timeout: 1000 }).catch(() => null);
  const samples: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      for (const p of pages) {
        await p.goto('/sessions');
        await p.getByRole('button', { name: 'Rejoindre la session' }).click();
        await p.getByRole('dialog').getByRole('button', { name: 'Entrer dans la salle' }).waitFor();
      }
      await pages[0]!.getByRole('dialog').getByRole('button', { name: 'Entrer dans la salle' }).click();
      while ((await status(pages[0]!)) !== 'waiting') await new Promise((r) => setTimeout(r, 10));
      const t0 = performance.now();
      await pages[1]!.getByRole('dialog').getByRole('button', { name: 'Entrer dans la salle' }).click();
      while ((await status(pages[0]!)) !== 'connected' || (await status(pages[1]!)) !== 'connected') {
        if (performance.now() - t0 > 20_000) throw new Error('not connected within 20 s');
        await new Promise((r) => setTimeout(r, 10));
      }
      samples.push(performance.now() - t0);
      for (const p of pages) await p.getByRole('dialog').getByRole('button', { name: 'Quitter' }).click();
    }
  } finally {
    await browser.close();
    await app.close();
    await rm(dir, { recursive: true, force: true });
  }
  return samples;
}
