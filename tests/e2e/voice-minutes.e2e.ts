/**
 * Voice minutes in the browser: the member's account page and the admin credits panel show the
 * month's allowance of the member's plan (defaults: FREE 30 min, BASIC 300 min), in French.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { DEMO_ADMIN, launchBrowser, newAppContext } from './browser.js';
import { DEMO_LOGINS } from '../../src/seed/demo-seed.js';

const baseUrl = inject('baseUrl');
const BASIC = DEMO_LOGINS[3];
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function signedIn(user: { email: string; password: string }): Promise<Page> {
  const page = await (await newAppContext(browser, baseUrl)).newPage();
  await page.goto('/login');
  await page.getByLabel('Adresse e-mail').fill(user.email);
  await page.getByLabel('Mot de passe').fill(user.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Bonjour' }).waitFor();
  return page;
}

describe('voice minutes on the web', () => {
  it('the member sees their month on the account page; the admin sees it in the credits panel', async () => {
    const member = await signedIn(BASIC);
    await member.goto('/account');
    await member.getByRole('heading', { level: 2, name: 'Minutes de voix' }).waitFor();
    const panel = member.getByTestId('voice-minutes');
    await panel.filter({ hasText: 'utilisées sur 5 h ce mois-ci' }).waitFor();
    await panel.filter({ hasText: 'Offre Basic : les minutes reviennent le' }).waitFor();

    await member.screenshot({ path: '/work/wt/minutes/.tmp/vm-account.png', fullPage: true });
    const admin = await signedIn(DEMO_ADMIN);
    await admin.goto('/admin');
    await admin.getByLabel('Utilisateur', { exact: true }).selectOption({ label: `${BASIC.name} (${BASIC.email})` });
    await admin.getByRole('heading', { name: 'Minutes de voix' }).waitFor();
    await admin.getByTestId('voice-minutes').filter({ hasText: 'utilisées sur 5 h ce mois-ci' }).waitFor();
    await admin.getByTestId('voice-minutes').screenshot({ path: '/work/wt/minutes/.tmp/vm-admin.png' });
  });
});
