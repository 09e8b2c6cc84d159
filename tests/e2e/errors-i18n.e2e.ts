import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_ADMIN, DEMO_MEMBER, launchBrowser } from './browser.js';
import { startE2eServer, type E2eServer } from './server.js';

/**
 * API errors reach the screen in the UI's language, from their code — never the server's own
 * words (its 401 is English, its 402 French): a wrong password in French and in English, and a
 * 402 out-of-credits in English, at desktop and phone widths. Its own server, so its sign-ins
 * do not eat the shared server's sign-in rate limit.
 */
const WIDTHS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
const LABELS = {
  fr: { email: 'Adresse e-mail', password: 'Mot de passe', submit: 'Se connecter' },
  en: { email: 'Email address', password: 'Password', submit: 'Log in' },
} as const;

let server: E2eServer;
let browser: Browser;
let adminToken: string;

beforeAll(async () => {
  server = await startE2eServer({ webDir: inject('buildDir'), env: { RATE_LIMIT_AUTH_PER_MINUTE: '200' } });
  browser = await launchBrowser();
  const token = await fetch(`${server.baseUrl}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO_ADMIN.email, password: DEMO_ADMIN.password }),
  });
  adminToken = ((await token.json()) as { accessToken: string }).accessToken;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh browser profile at `viewport`, its UI language chosen beforehand (as the switch stores it). */
async function freshPage(locale: 'fr' | 'en', viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.baseUrl, viewport });
  await context.addInitScript((l) => window.localStorage.setItem('coachhub.locale', l), locale);
  return context.newPage();
}

async function logIn(page: Page, locale: 'fr' | 'en', user: { email: string; password: string }) {
  const labels = LABELS[locale];
  await page.getByLabel(labels.email).fill(user.email);
  await page.getByLabel(labels.password).fill(user.password);
  await page.getByRole('button', { name: labels.submit, exact: true }).click();
}

/** As the admin, through the API: a member on the FREE plan in `locale`, with this month's credits used up. */
async function memberWithoutCredits(locale: 'fr' | 'en'): Promise<{ email: string; password: string; name: string }> {
  const admin = (method: string, path: string, body: unknown) =>
    fetch(`${server.baseUrl}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` }, body: JSON.stringify(body) });
  const user = { name: `Broke ${locale} ${Date.now()}`, email: `broke-${locale}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`, password: 'correct-horse-42' };
  const created = await admin('POST', '/api/users', { ...user, role: 'member', plan: 'FREE', locale });
  expect(created.status).toBe(201);
  const { user: saved } = (await created.json()) as { user: { id: string } };
  // The month's grant is written on the first look at the credits; then take all of it back.
  expect((await fetch(`${server.baseUrl}/api/admin/users/${saved.id}/credits`, { headers: { authorization: `Bearer ${adminToken}` } })).status).toBe(200);
  expect((await admin('POST', `/api/admin/users/${saved.id}/credits/adjust`, { amount: -5, reason: 'e2e: no credits left' })).status).toBe(200);
  return user;
}

describe('API errors in the UI language', () => {
  for (const [width, viewport] of Object.entries(WIDTHS)) {
    it(`a wrong password reads French in French and English in English (${width})`, async () => {
      const expected = { fr: 'Adresse e-mail ou mot de passe incorrect.', en: 'Wrong email address or password.' };
      for (const locale of ['fr', 'en'] as const) {
        const page = await freshPage(locale, viewport);
        await page.goto('/login');
        const refused = page.waitForResponse((r) => r.url().endsWith('/api/auth/sign-in/email'));
        await logIn(page, locale, { email: DEMO_MEMBER.email, password: 'not-the-password' });
        expect((await refused).status()).toBe(401);
        const alert = page.getByRole('alert').filter({ hasText: expected[locale] });
        await alert.waitFor();
        expect(await alert.isVisible()).toBe(true);
        const text = await alert.textContent();
        expect(text).not.toContain('Invalid email or password'); // the server's own (English) words
        expect(text).not.toContain(expected[locale === 'fr' ? 'en' : 'fr']);
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(locale);
        await page.context().close();
      }
    });

    it(`a 402 (no credits left) reads English in English, with the renewal date (${width})`, async () => {
      const user = await memberWithoutCredits('en');
      const page = await freshPage('en', viewport);
      await page.goto('/login');
      await logIn(page, 'en', user);
      await page.waitForURL((url) => url.pathname === '/');
      await page.goto('/chat');
      await page.getByRole('heading', { level: 1, name: 'Chat coach' }).waitFor();

      const box = page.getByLabel('Your message');
      await box.fill('One more question?');
      const refused = page.waitForResponse((r) => r.url().endsWith('/api/chat/send'));
      await box.press('Enter');
      const response = await refused;
      expect(response.status()).toBe(402);
      expect(((await response.json()) as { message: string }).message).toMatch(/^Vous avez épuisé/); // the server speaks French…

      // Credits are per calendar month in UTC: they come back on the 1st of the next one.
      const now = new Date();
      const renewal = new Intl.DateTimeFormat('en', { dateStyle: 'long' }).format(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)));
      const prompt = page.getByRole('alert').filter({ hasText: 'Out of credits' });
      await prompt.waitFor();
      expect(await prompt.isVisible()).toBe(true);
      const text = (await prompt.textContent()) ?? '';
      expect(text).toContain(`your credits also come back on ${renewal}`); // …the page English, with the date
      expect(await page.getByText(/Vous avez|épuisé|crédits/).count()).toBe(0);
      await page.context().close();
    });
  }
});
