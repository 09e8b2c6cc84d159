import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/error-codes.js';
import { en } from '../i18n/en.js';
import type { MessageKey } from '../i18n/fr.js';
import { translate, type MessageParams } from '../i18n/locales.js';
import { ApiError, toApiError } from './client.js';
import { creditsResetDate, ERROR_KEYS, errorText } from './error-text.js';

const tFr = (key: MessageKey, params?: MessageParams) => translate('fr', key, params);
const tEn = (key: MessageKey, params?: MessageParams) => translate('en', key, params);
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('errors shown through their code', () => {
  it('has words for every API code and for network failures, in both languages', () => {
    expect(Object.keys(ERROR_KEYS).sort()).toEqual([...Object.keys(ERROR_CODES), 'NETWORK'].sort());
    for (const key of Object.values(ERROR_KEYS)) expect(en[key]).toBeTruthy();
  });

  it('never shows the server’s message: a French 402 reads English to an English user', async () => {
    const error = await toApiError(json(402, { error: 'Crédits insuffisants', code: 'NO_CREDITS', message: 'Vous avez épuisé vos crédits de chat.' }));
    const text = errorText(error, tEn, 'en', { now: new Date('2026-11-20T10:00:00Z') });
    expect(text).toBe('You have used all your credits for this month. They will be renewed on December 1, 2026.');
    expect(errorText(error, tFr, 'fr', { now: new Date('2026-12-31T23:00:00Z') })).toBe('Vous avez utilisé tous vos crédits de ce mois-ci. Ils seront renouvelés le 1 janvier 2027.');
  });

  it('takes the renewal date from details when the server gives it', () => {
    expect(creditsResetDate({ resetsAt: '2027-02-01T00:00:00.000Z' })).toBe('2027-02-01T00:00:00.000Z');
    expect(creditsResetDate(undefined, new Date('2026-01-31T12:00:00Z'))).toBe('2026-02-01T00:00:00.000Z');
  });

  it('uses the page’s words where it knows the context', async () => {
    const error = await toApiError(json(401, { error: 'Unauthorized', code: 'UNAUTHENTICATED', message: 'Invalid email or password.' }));
    expect(errorText(error, tFr, 'fr', { overrides: { UNAUTHENTICATED: 'error.signIn.UNAUTHENTICATED' } })).toBe('Adresse e-mail ou mot de passe incorrect.');
    expect(errorText(error, tEn, 'en', { overrides: { UNAUTHENTICATED: 'error.signIn.UNAUTHENTICATED' } })).toBe('Wrong email address or password.');
    expect(errorText(error, tEn, 'en')).toBe('Your session has expired. Please log in again.');
  });

  it('says how long to wait on 429, from details or the Retry-After header', async () => {
    const fromDetails = await toApiError(json(429, { code: 'RATE_LIMITED', message: 'Too many requests.', details: { retryAfterMs: 41_200, limit: 10 } }));
    expect(errorText(fromDetails, tFr, 'fr')).toBe('Trop de tentatives. Réessayez dans 42 s.');
    const fromHeader = await toApiError(new Response('busy', { status: 429, headers: { 'retry-after': '7' } }));
    expect(fromHeader.code).toBe('RATE_LIMITED');
    expect(errorText(fromHeader, tEn, 'en')).toBe('Too many attempts. Try again in 7 s.');
    expect(errorText(new ApiError(429, 'RATE_LIMITED'), tEn, 'en')).toBe('Too many attempts. Try again in a moment.');
  });

  it('names the bad field in the user’s language', async () => {
    const error = await toApiError(json(400, { code: 'VALIDATION_FAILED', message: 'Invalid priceCents: too big', details: { fields: [{ field: 'priceCents', message: 'too big' }] } }));
    expect(errorText(error, tFr, 'fr')).toBe('Le champ « Prix » n’est pas valide. Corrigez-le puis réessayez.');
    expect(errorText(error, tEn, 'en', { fieldLabels: { priceCents: 'Session price' } })).toBe('The “Session price” field is not valid. Correct it and try again.');
    const unknownField = new ApiError(400, 'VALIDATION_FAILED', 'Invalid x', { fields: [{ field: 'x', message: 'bad' }] });
    expect(errorText(unknownField, tEn, 'en')).toBe('A value sent is not valid. Check the form and try again.');
  });

  it('reads network failures, non-JSON answers and unexpected throws', async () => {
    expect(errorText(ApiError.network(new TypeError('Failed to fetch')), tEn, 'en')).toBe('The server is not responding. Check your connection and try again.');
    const proxy = await toApiError(new Response('<html>Bad gateway</html>', { status: 502 }));
    expect(proxy.code).toBe('INTERNAL');
    expect((await toApiError(new Response('', { status: 404 }))).code).toBe('NOT_FOUND');
    expect(errorText(new Error('boom'), tFr, 'fr')).toBe('Une erreur inattendue est survenue sur le serveur. Réessayez plus tard.');
  });
});
