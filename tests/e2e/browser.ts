import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { DEMO_LOGINS } from '../../src/seed/demo-seed.js';

/** Debian's Chromium; override with CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless, offline-friendly flags. Features needing media add theirs (e.g. fake devices). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** A fresh profile (no cookies, no localStorage) on the app, at a desktop size by default. */
export async function newAppContext(browser: Browser, baseUrl: string, viewport = { width: 1280, height: 800 }): Promise<BrowserContext> {
  return browser.newContext({ baseURL: baseUrl, viewport });
}

/** The seeded demo accounts (src/db/seed.ts), so tests never restate their passwords. */
export const DEMO_ADMIN = DEMO_LOGINS[0];
export const DEMO_COACH = DEMO_LOGINS[1];
export const DEMO_MEMBER = DEMO_LOGINS[2];
