import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, newAppContext, DEMO_ADMIN, DEMO_MEMBER } from './browser.js';
import { E2E_SIGNUP_ORGANIZATION } from './server.js';

const baseUrl = inject('baseUrl');
const MEMBER = DEMO_MEMBER;
const ADMIN = DEMO_ADMIN;

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** A new browser profile: no cookies, no localStorage. Closed with the browser. */
async function freshPage(): Promise<Page> {
  const context = await newAppContext(browser, baseUrl);
  return context.newPage();
}

const path = (page: Page) => new URL(page.url()).pathname;
const htmlLang = (page: Page) => page.evaluate(() => document.documentElement.lang);
const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

async function logIn(page: Page, user: { email: string; password: string }, labels = { email: 'Adresse e-mail', password: 'Mot de passe', submit: 'Se connecter' }) {
  await page.getByLabel(labels.email).fill(user.email);
  await page.getByLabel(labels.password).fill(user.password);
  await page.getByRole('button', { name: labels.submit }).click();
}

describe('web shell: accounts', () => {
  it('signs up, logs out, logs in, switches to English (kept across reloads), logs out', async () => {
    const page = await freshPage();
    const user = { name: 'Zoé Testeuse', email: `zoe-${Date.now()}@example.com`, password: 'correct-horse-42' };

    // Signed out: the home page sends to the login page, in French by default.
    await page.goto('/');
    await page.waitForURL('**/login');
    expect(await htmlLang(page)).toBe('fr');
    expect(await h1(page).textContent()).toBe('Connexion');

    // Sign up.
    await page.getByRole('link', { name: 'Créer un compte' }).click();
    await page.waitForURL('**/signup');
    await page.getByLabel('Nom complet').fill(user.name);
    await page.getByLabel('Adresse e-mail').fill(user.email);
    await page.getByLabel('Mot de passe').fill(user.password);
    await page.getByRole('button', { name: 'Créer mon compte' }).click();

    // Home, signed in: name, role and organization in the header.
    await h1(page).filter({ hasText: `Bonjour ${user.name} !` }).waitFor();
    expect(path(page)).toBe('/');
    const header = page.getByRole('banner');
    expect(await header.textContent()).toContain(user.name);
    expect(await header.textContent()).toContain('Membre');
    expect(await header.textContent()).toContain(E2E_SIGNUP_ORGANIZATION.name);
    expect(await page.title()).toBe('Accueil · Coach Hub');
    // Zero config runs the offline engine: the UI says so and how to switch to a real model.
    const offline = page.getByTestId('offline-mode');
    expect(await offline.locator('summary').textContent()).toBe('Mode hors ligne');
    await offline.locator('summary').click();
    expect(await offline.textContent()).toContain('OPENAI_API_KEY');

    // Log out, then log in again.
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForURL('**/login');
    await logIn(page, user);
    await h1(page).filter({ hasText: `Bonjour ${user.name} !` }).waitFor();
    expect(path(page)).toBe('/');

    // FR → EN: the text and <html lang> change, and the choice is saved on the account.
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/me') && r.request().method() === 'PATCH');
    await page.getByRole('button', { name: 'English (EN)' }).click();
    await h1(page).filter({ hasText: `Hello ${user.name}!` }).waitFor();
    expect(await htmlLang(page)).toBe('en');
    expect((await saved).status()).toBe(200);
    expect(await page.getByRole('button', { name: 'English (EN)' }).getAttribute('aria-pressed')).toBe('true');

    await page.reload();
    await h1(page).filter({ hasText: `Hello ${user.name}!` }).waitFor();
    expect(await htmlLang(page)).toBe('en');

    // Without this browser's memory, the account's saved language still wins.
    await page.evaluate(() => window.localStorage.clear());
    await page.reload();
    await h1(page).filter({ hasText: `Hello ${user.name}!` }).waitFor();
    expect(await htmlLang(page)).toBe('en');

    // Log out: protected pages send back to the login page (still in English).
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    expect(await h1(page).textContent()).toBe('Log in');
    await page.goto('/');
    await page.waitForURL('**/login');
    await page.goto('/admin');
    await page.waitForURL('**/login');
    expect(await htmlLang(page)).toBe('en');
  });

  it('says a wrong password in the UI language (not the server’s words), and shows client-side field errors', async () => {
    const page = await freshPage();
    await page.goto('/login');

    // Client-side checks first: nothing is sent while fields are empty or malformed.
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByText('Corrigez les champs signalés puis réessayez.').waitFor();
    expect(await page.getByLabel('Adresse e-mail').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('email');

    await logIn(page, { email: MEMBER.email, password: 'not-the-password' });
    const alert = page.getByRole('alert').filter({ hasText: 'La connexion a échoué' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Adresse e-mail ou mot de passe incorrect.');
    expect(await alert.textContent()).not.toContain('Invalid email or password.');
    expect(path(page)).toBe('/login');

    // The sign-up form mirrors the server's rules.
    await page.goto('/signup');
    await page.getByLabel('Nom complet').fill('Court');
    await page.getByLabel('Adresse e-mail').fill('pas-une-adresse');
    await page.getByLabel('Mot de passe').fill('1234567');
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.getByText('Saisissez une adresse e-mail valide').waitFor();
    await page.getByText('Le mot de passe doit contenir au moins 8 caractères.').waitFor();
  });

  it('shows the Administration area to admins only', async () => {
    const member = await freshPage();
    await member.goto('/login');
    await logIn(member, MEMBER);
    await h1(member).filter({ hasText: `Bonjour ${MEMBER.name} !` }).waitFor();
    const memberAreas = member.getByRole('heading', { level: 3 });
    expect(await memberAreas.allTextContents()).toEqual(['Coach vocal', 'Coach par chat', 'Simulateur de jeux de rôle', 'Entretiens vocaux', 'Séances de coaching']);
    // Voice coach, chat and coaching sessions are built: their cards are links.
    expect(await member.getByText('Bientôt disponible').count()).toBe(2);
    expect(await member.getByRole('heading', { name: 'Administration' }).count()).toBe(0);
    await member.goto('/admin');
    await h1(member).filter({ hasText: 'Page introuvable' }).waitFor();

    const admin = await freshPage();
    await admin.goto('/login');
    await logIn(admin, ADMIN);
    await h1(admin).filter({ hasText: `Bonjour ${ADMIN.name} !` }).waitFor();
    expect(await admin.getByRole('heading', { level: 3 }).count()).toBe(7);
    await admin.getByRole('link', { name: 'Administration' }).click();
    await admin.waitForURL('**/admin');
    await admin.getByRole('cell', { name: MEMBER.email }).waitFor();

    // An API key is shown once after creation, then can be revoked.
    await admin.getByLabel('Nom de la nouvelle clé').fill('Intégration e2e');
    await admin.getByRole('button', { name: 'Créer la clé' }).click();
    const secret = await admin.getByRole('textbox', { name: 'Intégration e2e' }).inputValue();
    expect(secret.length).toBeGreaterThan(20);
    admin.once('dialog', (dialog) => void dialog.accept());
    await admin.getByRole('button', { name: 'Révoquer Intégration e2e' }).click();
    await admin.getByText(/Révoquée le/).waitFor();
    expect(await admin.getByRole('button', { name: 'Révoquer Intégration e2e' }).count()).toBe(0);
  });

  it('answers unknown pages with a 404 page', async () => {
    const page = await freshPage();
    await page.goto('/does-not-exist');
    await h1(page).filter({ hasText: 'Page introuvable' }).waitFor();
    expect(await page.getByRole('link', { name: 'Retour à l’accueil' }).count()).toBe(1);
  });
});
