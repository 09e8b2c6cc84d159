import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp, type AppContext } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { makeUser } from '../../src/seed/factories.js';
import { reservations } from '../../src/features/bookings/tables.js';
import { seedDemo } from '../../src/seed/demo-seed.js';
import { launchBrowser, newAppContext } from './browser.js';
import { freePort } from '../helpers/free-port.js';

/**
 * Two browser contexts (coach and player) join a built-in room through the real UI and
 * receive each other's audio and video (getStats inbound-rtp bytes), chat, a third user is
 * refused, and an expiring room ejects. This file runs its own server (same wiring as
 * production: buildApp) so it can move a session in time through the database.
 */
const MIN = 60_000;
let app: FastifyInstance;
let ctx: AppContext;
let baseUrl: string;
let dataDir: string;
let browser: Browser;
/** Uncaught errors of the pages: the call must run without any. */
const pageErrors: string[] = [];
const users = {
  coach: { email: `coach-e2e-${Date.now()}@example.test`, password: 'coach-e2e-password', name: 'Camille Coach' },
  player: { email: `player-e2e-${Date.now()}@example.test`, password: 'player-e2e-password', name: 'Maxime Joueur' },
  third: { email: `third-e2e-${Date.now()}@example.test`, password: 'third-e2e-password', name: 'Tiers Curieux' },
};

/** An Etc/GMT zone where it is currently between 03:00 and 20:00, so a one-hour slot stays on one local day. */
function daytimeZone(): string {
  for (let offset = -12; offset <= 12; offset++) {
    const zone = offset === 0 ? 'UTC' : `Etc/GMT${offset > 0 ? '+' : '-'}${Math.abs(offset)}`;
    const hour = Number(new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', hourCycle: 'h23' }).format(new Date()));
    if (hour >= 3 && hour <= 20) return zone;
  }
  return 'UTC';
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'coachhub-e2e-video-'));
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: baseUrl, NODE_ENV: 'test', LOG_LEVEL: 'warn', REDIS_KEY_PREFIX: `coachhub-e2e-video-${port}:` };
  delete env.DATABASE_URL;
  delete env.CORS_ORIGINS;
  delete env.DAILY_API_KEY;
  ({ app, context: ctx } = await buildApp(loadConfig(env), { webDir: inject('buildDir'), logger: false }));
  const seeded = await seedDemo(ctx);
  const organizationId = seeded!.organization.id;
  const coach = await makeUser(ctx, { organizationId, role: 'coach', ...users.coach });
  await makeUser(ctx, { organizationId, role: 'member', ...users.player });
  await makeUser(ctx, { organizationId, role: 'member', ...users.third });
  const admin = { kind: 'apiKey' as const, organizationId, userId: null, role: 'admin' as const };
  await ctx.services.announcements.create(admin, { coachId: coach.user.id, title: 'Préparation aux entretiens', description: 'Simulation et conseils', durationMs: 60 * MIN, priceCents: 5000, currency: 'EUR', language: 'fr', discordUrl: 'https://discord.gg/coachhub-e2e' });
  const zone = daytimeZone();
  await ctx.services.announcements.setAvailability(admin, coach.user.id, [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 0, endMinute: 1440, timeZone: zone })));
  await app.listen({ port, host: '127.0.0.1' });
  browser = await launchBrowser(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required']);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function signedIn(user: { email: string; password: string }): Promise<Page> {
  const context = await newAppContext(browser, baseUrl);
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto('/login');
  await page.getByLabel('Adresse e-mail').fill(user.email);
  await page.getByLabel('Mot de passe').fill(user.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  return page;
}

async function joinCall(page: Page) {
  await page.goto('/sessions');
  await page.getByRole('button', { name: 'Rejoindre la session' }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Entrer dans la salle' }).click({ timeout: 15_000 });
  return dialog;
}

const stats = async (page: Page) => {
  const el = page.getByTestId('call-stats');
  return { audio: Number(await el.getAttribute('data-audio-bytes')), video: Number(await el.getAttribute('data-video-bytes')) };
};

async function moveSession(id: string, startInMs: number, roomExpiresInMs?: number) {
  const start = Date.now() + startInMs;
  await ctx.database.db
    .update(reservations)
    .set({ startAt: new Date(start), endAt: new Date(start + 60 * MIN), roomExpiresAt: new Date(roomExpiresInMs === undefined ? start + 90 * MIN : Date.now() + roomExpiresInMs) })
    .where(eq(reservations.id, id));
}

describe('coaching session video call (built-in WebRTC)', () => {
  let reservationId: string;
  let coach: Page;
  let player: Page;

  it('lets the player book a slot from "Mes sessions"', async () => {
    player = await signedIn(users.player);
    await player.getByRole('link', { name: /Séances de coaching/ }).click();
    await expect.poll(() => player.getByRole('heading', { level: 1 }).textContent()).toBe('Mes sessions');
    const offer = player.getByRole('listitem').filter({ hasText: 'Préparation aux entretiens' });
    await offer.getByRole('button', { name: 'Voir les créneaux' }).click();
    await offer.getByRole('button', { name: 'Réserver' }).first().click();
    const card = player.getByRole('listitem', { name: /Préparation aux entretiens — Avec Camille Coach/ });
    await card.waitFor();
    expect(await card.getByRole('button', { name: 'Rejoindre la session' }).isDisabled()).toBe(true);
    expect(await card.getByRole('link', { name: /Discord/ }).getAttribute('href')).toBe('https://discord.gg/coachhub-e2e');
    const [row] = await ctx.database.db.select().from(reservations);
    reservationId = row!.id;
  });

  it('connects coach and player with audio and video both ways, and carries the chat', async () => {
    await moveSession(reservationId, 5 * MIN);
    coach = await signedIn(users.coach);
    const coachDialog = await joinCall(coach);
    await expect.poll(() => coachDialog.getByRole('status').first().getAttribute('data-status'), { timeout: 10_000 }).toBe('waiting');
    const playerDialog = await joinCall(player);

    for (const page of [coach, player]) {
      await expect.poll(() => page.getByRole('dialog').locator('[data-status]').getAttribute('data-status'), { timeout: 20_000 }).toBe('connected');
    }
    // Fake devices send a beep and a test pattern: bytes must flow in both directions.
    for (const page of [coach, player]) {
      await expect.poll(async () => (await stats(page)).audio, { timeout: 15_000 }).toBeGreaterThan(2_000);
      await expect.poll(async () => (await stats(page)).video, { timeout: 15_000 }).toBeGreaterThan(20_000);
    }
    expect(await coachDialog.getByText('Connecté avec Maxime Joueur').count()).toBe(1);

    await playerDialog.getByLabel('Message').fill('Bonjour coach, vous m’entendez ?');
    await playerDialog.getByRole('button', { name: 'Envoyer' }).click();
    await coachDialog.getByText('Bonjour coach, vous m’entendez ?').waitFor({ timeout: 5_000 });
    expect(await coachDialog.getByRole('listitem').filter({ hasText: 'Maxime Joueur' }).count()).toBe(1);

    // The coach records a few seconds in the browser and uploads it.
    await coachDialog.getByRole('button', { name: 'Enregistrer' }).click();
    await new Promise((r) => setTimeout(r, 2500));
    await coachDialog.getByRole('button', { name: 'Arrêter l’enregistrement' }).click();
    await coachDialog.getByText('Enregistrement sauvegardé', { exact: false }).waitFor({ timeout: 10_000 });

    await coachDialog.getByRole('button', { name: 'Couper le micro' }).click();
    expect(await coachDialog.getByRole('button', { name: 'Couper le micro' }).getAttribute('aria-pressed')).toBe('true');
    expect(pageErrors).toEqual([]);
  });

  it('refuses a third user (no session listed, token 403)', async () => {
    const third = await signedIn(users.third);
    await third.goto('/sessions');
    await third.getByText('Aucune séance à venir.').waitFor();
    const res = await third.request.get(`/api/reservations/${reservationId}/video-token`);
    expect(res.status()).toBe(403);
    expect((await res.json()).code).toBe('FORBIDDEN');
    await third.context().close();
  });

  it('ejects everyone when the room expires', async () => {
    for (const page of [coach, player]) await page.getByRole('dialog').getByRole('button', { name: 'Quitter' }).click();
    // The session ended; its room closes in 12 seconds.
    await moveSession(reservationId, -60 * MIN - 5_000, 12_000);
    await joinCall(coach);
    await joinCall(player);
    for (const page of [coach, player]) {
      await page.getByRole('dialog').getByText('La séance est terminée : la salle est fermée.').waitFor({ timeout: 25_000 });
    }
    // Tokens carry whole seconds, so the ejection may precede the stored expiry by under a second.
    await expect.poll(async () => (await coach.request.get(`/api/reservations/${reservationId}/video-token`)).status(), { timeout: 3_000 }).toBe(409);

    // The session is now in the past: the player watches the coach's recording.
    await player.goto('/sessions');
    await player.getByRole('button', { name: 'Revoir la séance' }).click();
    const replay = player.getByRole('region', { name: 'Passées' }).locator('video');
    await replay.waitFor();
    const media = await player.request.get((await replay.getAttribute('src'))!);
    expect(media.status()).toBe(200);
    expect(media.headers()['content-type']).toBe('video/webm');
    expect((await media.body()).length).toBeGreaterThan(10_000);
  });
});
