/**
 * Takes docs/screenshot-home.png (1280×800) of the admin's home page, from a fresh production
 * build served by the real server: `npx tsx tests/e2e/screenshot.ts [fr|en]` (default en).
 * Also writes a narrow (mobile) capture to .tmp/ to eyeball the responsive layout.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, newAppContext } from './browser.js';
import { startE2eServer } from './server.js';
import { buildWeb, PROJECT_ROOT } from './web-build.js';

const locale = process.argv[2] === 'fr' ? 'fr' : 'en';
const buildDir = await mkdtemp(join(tmpdir(), 'coachhub-shot-web-'));
await buildWeb(buildDir);
const server = await startE2eServer({ webDir: buildDir });
const browser = await launchBrowser();
try {
  const context = await newAppContext(browser, server.baseUrl);
  await context.addInitScript((l) => window.localStorage.setItem('coachhub.locale', l), locale);
  const page = await context.newPage();
  await page.goto('/login');
  const labels = locale === 'fr' ? ['Adresse e-mail', 'Mot de passe', 'Se connecter'] : ['Email address', 'Password', 'Log in'];
  await page.getByLabel(labels[0]!).fill('admin@demo.coachhub.local');
  await page.getByLabel(labels[1]!).fill('demo-admin-2026');
  await page.getByRole('button', { name: labels[2]!, exact: true }).click();
  await page.waitForURL(`${server.baseUrl}/`);
  // The admin's saved language wins at sign-in: switch to the one asked for.
  await page.getByRole('button', { name: locale === 'fr' ? 'Français (FR)' : 'English (EN)' }).click();
  await page.getByRole('heading', { level: 3 }).first().waitFor();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.screenshot({ path: join(PROJECT_ROOT, 'docs/screenshot-home.png') });
  await mkdir(join(PROJECT_ROOT, '.tmp'), { recursive: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(PROJECT_ROOT, '.tmp/screenshot-home-mobile.png'), fullPage: true });
  console.log(`docs/screenshot-home.png written (${locale})`);
} finally {
  await browser.close();
  await server.close();
  await rm(buildDir, { recursive: true, force: true });
}
