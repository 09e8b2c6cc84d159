import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_COACH, DEMO_MEMBER, launchBrowser } from './browser.js';
import { startE2eServer, type E2eServer } from './server.js';

/**
 * The coach area: the seeded demo coach publishes an offer and replaces the weekly
 * availability in the UI (keyboard and labels), a member sees the offer with slots in that
 * availability shown in the browser's own time zone, books one; the coach sets the session's
 * Discord link, shown beside the join button on both pages; a deactivated offer disappears.
 * Its own server: it changes the demo coach's availability.
 */
let server: E2eServer;
let browser: Browser;
const TITLE = `Stratégie d’ouverture ${Date.now().toString(36)}`;
const OFFER_DISCORD = 'https://discord.gg/strategie-e2e';
const SESSION_DISCORD = 'https://discord.com/channels/4242/4343';

beforeAll(async () => {
  server = await startE2eServer({ webDir: inject('buildDir') });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A signed-in page in a browser set to `timeZone` (the zone the pages show times in). */
async function signIn(user: { email: string; password: string }, timeZone = 'Europe/Paris'): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1280, height: 900 }, timezoneId: timeZone });
  const page = await context.newPage();
  page.on('dialog', (d) => void d.accept());
  await page.goto('/login');
  await page.getByLabel('Adresse e-mail').fill(user.email);
  await page.getByLabel('Mot de passe').fill(user.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  return page;
}

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
const myCard = (page: Page) => page.getByRole('listitem', { name: new RegExp(`^${TITLE} — `) });

describe('coach offers and weekly availability', () => {
  let coach: Page;
  let player: Page;

  it('lets the coach publish an offer from the coach area, with the keyboard and checked fields', async () => {
    coach = await signIn(DEMO_COACH);
    await coach.getByRole('link', { name: /Offres et disponibilités/ }).click();
    await h1(coach).filter({ hasText: 'Mes offres et disponibilités' }).waitFor();
    expect(await coach.title()).toBe('Mes offres et disponibilités · Coach Hub');
    // The seeded offer is listed as the coach's own.
    await coach.getByRole('listitem', { name: 'Séance de coaching individuelle' }).waitFor();

    await coach.getByRole('button', { name: 'Nouvelle offre' }).focus();
    await coach.keyboard.press('Enter');
    const form = coach.getByRole('form', { name: 'Publier une offre' });
    await form.waitFor();
    // The title field has the focus: the keyboard user types straight away.
    await coach.keyboard.type(TITLE);
    expect(await form.getByLabel('Titre').inputValue()).toBe(TITLE);
    await form.getByLabel('Description').fill('Préparez vos ouvertures avec un joueur titré.');
    await form.getByLabel('Durée (minutes)').fill('45');
    await form.getByLabel('Prix', { exact: true }).fill('trente');
    await form.getByLabel('Langue de la séance').selectOption({ label: 'English' });
    await form.getByLabel('Lien Discord (facultatif)').fill(OFFER_DISCORD);
    await form.getByRole('button', { name: 'Publier l’offre' }).click();
    await form.getByText('Saisissez un prix valide, par exemple 45 ou 45,50.').waitFor();
    expect(await form.getByLabel('Prix', { exact: true }).getAttribute('aria-invalid')).toBe('true');

    await form.getByLabel('Prix', { exact: true }).fill('30,50');
    await form.getByRole('button', { name: 'Publier l’offre' }).click();
    await coach.getByText(`Offre « ${TITLE} » publiée.`).waitFor();
    const item = coach.getByRole('listitem', { name: TITLE });
    await item.getByText(/45 min · 30,50\s€ · EN/).waitFor();
    expect(await item.getByText('Active', { exact: true }).count()).toBe(1);
    // Focus went back to the button that opened the form.
    expect(await coach.evaluate(() => document.activeElement?.textContent)).toContain('Nouvelle offre');
  });

  it('lets the coach replace the weekly availability (Sundays 10:00–11:00, Paris time), kept after a reload', async () => {
    const section = coach.getByRole('region', { name: 'Disponibilités de la semaine' });
    await section.getByRole('group', { name: 'Créneau 1' }).waitFor();
    expect(await section.getByRole('group', { name: /^Créneau \d$/ }).count()).toBe(5); // the seed: Monday to Friday
    while ((await section.getByRole('group', { name: /^Créneau \d$/ }).count()) > 0) await section.getByRole('button', { name: 'Supprimer le créneau 1' }).click();
    await section.getByText('Aucun créneau : personne ne peut réserver de séance avec vous.').waitFor();

    await section.getByRole('button', { name: 'Ajouter un créneau' }).click();
    const slot = section.getByRole('group', { name: 'Créneau 1' });
    await slot.getByLabel('Jour').selectOption({ label: 'dimanche' });
    await slot.getByLabel('Début').fill('10:00');
    await slot.getByLabel('Fin').fill('09:00');
    await section.getByLabel('Fuseau horaire des créneaux').selectOption('Europe/Paris');
    await section.getByRole('button', { name: 'Enregistrer les disponibilités' }).click();
    await section.getByText('Le créneau 1 doit finir après son début.').waitFor();
    await slot.getByLabel('Fin').fill('11:00');
    await section.getByRole('button', { name: 'Enregistrer les disponibilités' }).click();
    await section.getByText('Disponibilités enregistrées.').waitFor();

    await coach.reload();
    const saved = coach.getByRole('region', { name: 'Disponibilités de la semaine' }).getByRole('group', { name: /^Créneau \d$/ });
    await saved.first().waitFor();
    expect(await saved.count()).toBe(1);
    expect(await saved.getByLabel('Jour').inputValue()).toBe('0');
    expect([await saved.getByLabel('Début').inputValue(), await saved.getByLabel('Fin').inputValue()]).toEqual(['10:00', '11:00']);
    expect(await coach.getByLabel('Fuseau horaire des créneaux').inputValue()).toBe('Europe/Paris');
  });

  it('shows the member the new offer with slots only in that availability, in the browser’s time zone, and books one', async () => {
    player = await signIn(DEMO_MEMBER, 'Europe/Paris');
    await player.goto('/sessions');
    const offer = player.getByRole('region', { name: 'Réserver une séance' }).getByRole('listitem').filter({ hasText: TITLE });
    await offer.getByText(/Camille Coach · 45 min · 30,50\s€ · EN/).waitFor();
    await offer.getByRole('button', { name: 'Voir les créneaux' }).click();
    const slots = offer.getByRole('listitem');
    await slots.first().waitFor();
    const texts = await slots.allTextContents();
    expect(texts.length).toBeGreaterThanOrEqual(2);
    for (const text of texts) expect(text).toMatch(/^dimanche .*10:00 – 10:45/);

    await slots.first().getByRole('button', { name: 'Réserver' }).click();
    const card = myCard(player);
    await card.waitFor();
    expect(await card.getByRole('link', { name: /Discord/ }).getAttribute('href')).toBe(OFFER_DISCORD);
  });

  it('lets the coach set the session’s own Discord link, shown beside the join button for both', async () => {
    await coach.goto('/sessions');
    const card = myCard(coach);
    await card.waitFor();
    expect(await card.getByRole('link', { name: /Discord/ }).getAttribute('href')).toBe(OFFER_DISCORD);
    await card.getByRole('button', { name: 'Lien Discord de la séance' }).click();
    const field = card.getByLabel(`Lien Discord de « ${TITLE} »`);
    await field.fill('https://evil.example/discord.gg/x');
    await card.getByRole('button', { name: 'Enregistrer le lien' }).click();
    await card.getByText(/Le lien Discord n’a pas pu être enregistré/).waitFor();
    await field.fill(SESSION_DISCORD);
    await card.getByRole('button', { name: 'Enregistrer le lien' }).click();
    await expect.poll(() => myCard(coach).getByRole('link', { name: /Discord/ }).getAttribute('href')).toBe(SESSION_DISCORD);

    await player.reload();
    const playerCard = myCard(player);
    await playerCard.waitFor();
    // In the same row as the join button.
    const actions = playerCard.locator('div', { has: player.getByRole('button', { name: 'Rejoindre la session' }) }).last();
    expect(await actions.getByRole('link', { name: /Discord/ }).getAttribute('href')).toBe(SESSION_DISCORD);
  });

  it('hides a deactivated offer from members', async () => {
    await coach.goto('/offers');
    await coach.getByRole('button', { name: `Désactiver « ${TITLE} »` }).click();
    await coach.getByRole('listitem', { name: TITLE }).getByText('Désactivée').waitFor();
    await player.goto('/sessions');
    await player.getByRole('region', { name: 'Réserver une séance' }).getByText('Séance de coaching individuelle').waitFor();
    expect(await player.getByRole('region', { name: 'Réserver une séance' }).getByText(TITLE).count()).toBe(0);
  });
});

describe('the viewer’s time zone', () => {
  it('comes from the browser at sign-up and can be changed in "Mon compte"', async () => {
    const context = await browser.newContext({ baseURL: server.baseUrl, timezoneId: 'Asia/Tokyo' });
    const page = await context.newPage();
    await page.goto('/signup');
    await page.getByLabel('Nom complet').fill('Tomoko Tokyo');
    await page.getByLabel('Adresse e-mail').fill(`tomoko-${Date.now()}@example.test`);
    await page.getByLabel('Mot de passe').fill('correct-horse-42');
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await h1(page).filter({ hasText: 'Bonjour Tomoko Tokyo !' }).waitFor();
    const zone = async () => ((await (await page.request.get('/api/me')).json()) as { user: { timeZone: string } }).user.timeZone;
    expect(await zone()).toBe('Asia/Tokyo');

    await page.getByRole('link', { name: 'Mon compte' }).click();
    await h1(page).filter({ hasText: 'Mon compte' }).waitFor();
    expect(await page.getByLabel('Fuseau horaire').inputValue()).toBe('Asia/Tokyo');
    await page.getByLabel('Fuseau horaire').selectOption('America/New_York');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Préférences enregistrées.').waitFor();
    expect(await zone()).toBe('America/New_York');
    await page.getByRole('button', { name: 'Utiliser le fuseau de ce navigateur (Asia/Tokyo)' }).waitFor();
    await context.close();
  });
});
