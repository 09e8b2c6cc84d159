import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, newAppContext } from './browser.js';
import { E2E_SIGNUP_ADMIN } from './server.js';

const baseUrl = inject('baseUrl');
// Sign-ups land in the sign-up organization: its admin sees them (not the demo organization's).
const ADMIN = E2E_SIGNUP_ADMIN;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function freshPage(): Promise<Page> {
  const context = await newAppContext(browser, baseUrl);
  return context.newPage();
}

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
const log = (page: Page) => page.getByRole('log');
const coachReplies = (page: Page) => log(page).locator('article[data-role="ASSISTANT"]');
const userMessages = (page: Page) => log(page).locator('article[data-role="USER"]');
const counter = (page: Page) => page.getByTestId('credit-counter');

/** Types a message and sends it with Enter; waits for the coach's saved reply. */
async function sendWithEnter(page: Page, text: string) {
  const replies = await coachReplies(page).count();
  const box = page.getByLabel('Votre message');
  await box.fill(text);
  const done = page.waitForResponse((r) => r.url().endsWith('/api/chat/send'));
  await box.press('Enter');
  expect((await done).status()).toBe(200);
  await expect.poll(() => coachReplies(page).count()).toBe(replies + 1);
  await page.getByRole('button', { name: 'Envoyer' }).waitFor(); // streaming finished
}

describe('chat coach in the browser', () => {
  it('chats until the FREE credits run out, then shows the upgrade prompt; sessions can be searched, renamed and deleted', async () => {
    const page = await freshPage();
    page.on('dialog', (dialog) => void dialog.accept());
    const user = { name: 'Chloé Chat', email: `chloe-${Date.now()}@example.com`, password: 'correct-horse-42' };
    await page.goto('/signup');
    await page.getByLabel('Nom complet').fill(user.name);
    await page.getByLabel('Adresse e-mail').fill(user.email);
    await page.getByLabel('Mot de passe').fill(user.password);
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await h1(page).filter({ hasText: `Bonjour ${user.name} !` }).waitFor();

    // The home card now links to the chat.
    await page.getByRole('link', { name: 'Coach par chat' }).click();
    await page.waitForURL('**/chat');
    await h1(page).filter({ hasText: 'Coach par chat' }).waitFor();
    expect(await page.title()).toBe('Coach par chat · Coach Hub');
    await counter(page).filter({ hasText: '5 crédits restants ce mois-ci' }).waitFor();
    // The e2e server runs the offline engine: labelled, with the hint.
    await page.locator('main').getByText('Mode hors ligne', { exact: true }).waitFor();
    await page.getByText('Mode hors ligne : les réponses viennent d').waitFor();

    // 1st message: Enter sends, the reply streams in and is saved.
    await sendWithEnter(page, 'Bonjour, je manque de confiance avant un premier rendez-vous.');
    expect(await userMessages(page).last().textContent()).toBe('Bonjour, je manque de confiance avant un premier rendez-vous.');
    expect((await coachReplies(page).last().textContent())!.length).toBeGreaterThan(10);
    await counter(page).filter({ hasText: '4 crédits restants' }).waitFor();
    const sessions = page.getByRole('navigation', { name: 'Conversations' });
    await sessions.getByRole('button', { name: /^Bonjour, je manque de confiance/ }).waitFor();

    // Shift+Enter is a new line, not a send.
    const box = page.getByLabel('Votre message');
    await box.fill('Ligne un');
    await box.press('Shift+Enter');
    await box.pressSequentially('ligne deux');
    expect(await box.inputValue()).toBe('Ligne un\nligne deux');
    expect(await userMessages(page).count()).toBe(1);
    await box.fill('');

    // HTML in a message is shown as text, never rendered.
    await sendWithEnter(page, '<img src=x onerror="window.__xss=1"> comment oser parler ?');
    expect(await log(page).locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();

    await sendWithEnter(page, 'Comment engager la conversation ?');
    await sendWithEnter(page, 'Et si la personne ne répond pas ?');
    await sendWithEnter(page, 'Merci, une dernière question sur l’écoute.');
    await counter(page).filter({ hasText: '0 crédits restants' }).waitFor();
    expect(await coachReplies(page).count()).toBe(5);

    // Out of credits: the upgrade prompt; a 6th send is refused (402) and nothing is added.
    const prompt = page.getByRole('alert').filter({ hasText: 'Crédits épuisés' });
    await prompt.waitFor();
    expect(await prompt.textContent()).toContain('Basic (50 par mois)');
    await box.fill('Encore une question ?');
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/chat/send'));
    await box.press('Enter');
    expect((await refused).status()).toBe(402);
    await prompt.waitFor();
    await expect.poll(() => userMessages(page).count()).toBe(5);

    // Rename, search, start a new conversation, delete.
    await sessions.getByRole('button', { name: /^Renommer/ }).first().click();
    const rename = sessions.getByLabel(/^Nouveau titre de/);
    await rename.fill('Rendez-vous de samedi');
    await rename.press('Enter');
    await sessions.getByRole('button', { name: /^Rendez-vous de samedi/ }).waitFor();
    await page.getByLabel('Rechercher une conversation').fill('samedi');
    await expect.poll(() => sessions.getByRole('listitem').count()).toBe(1);
    await page.getByLabel('Rechercher une conversation').fill('introuvable-xyz');
    await sessions.getByText('Aucune conversation ne correspond.').waitFor();
    await page.getByLabel('Rechercher une conversation').fill('');
    await sessions.getByRole('button', { name: /^Rendez-vous de samedi/ }).waitFor();

    await page.reload();
    await sessions.getByRole('button', { name: /^Rendez-vous de samedi/ }).click();
    await expect.poll(() => coachReplies(page).count()).toBe(5);
    await sessions.getByRole('button', { name: 'Supprimer « Rendez-vous de samedi »' }).click();
    await sessions.getByText('Aucune conversation pour le moment.').waitFor();
    expect(await coachReplies(page).count()).toBe(0);
    await page.getByRole('alert').filter({ hasText: 'Crédits épuisés' }).waitFor(); // deleting does not give credits back

    // The admin sees the ledger and gives two credits back.
    const admin = await freshPage();
    await admin.goto('/login');
    await admin.getByLabel('Adresse e-mail').fill(ADMIN.email);
    await admin.getByLabel('Mot de passe').fill(ADMIN.password);
    await admin.getByRole('button', { name: 'Se connecter' }).click();
    await h1(admin).filter({ hasText: 'Bonjour' }).waitFor();
    await admin.goto('/admin');
    await admin.getByLabel('Utilisateur', { exact: true }).selectOption({ label: `${user.name} (${user.email})` });
    const panel = admin.getByTestId('admin-credit-balance');
    await panel.filter({ hasText: 'Restant : 0' }).waitFor();
    await expect.poll(() => admin.getByRole('cell', { name: 'Réponse du coach' }).count()).toBe(5);
    await admin.getByLabel('Ajustement (+/−)').fill('2');
    await admin.getByLabel('Motif').fill('Geste commercial');
    await admin.getByRole('button', { name: 'Ajuster' }).click();
    await panel.filter({ hasText: 'Restant : 2' }).waitFor();
    await admin.getByRole('cell', { name: 'Geste commercial' }).waitFor();

    // Back in the chat, the two credits are there.
    await page.reload();
    await counter(page).filter({ hasText: '2 crédits restants' }).waitFor();
    expect(await page.getByText('Crédits épuisés').count()).toBe(0);
  });
});
