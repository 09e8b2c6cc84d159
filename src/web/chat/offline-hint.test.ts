import { expect, it } from 'vitest';
import { OFFLINE_MODE_HINT } from '../../providers/llm/index.js';
import { en } from '../i18n/en.js';
import { fr } from '../i18n/fr.js';

// The SPA cannot import server code, so the hint is copied into the dictionaries: keep them equal.
it('the offline-mode hint of the chat page is the LLM layer’s, in both languages', () => {
  expect(fr['chat.offlineHint']).toBe(OFFLINE_MODE_HINT.fr);
  expect(en['chat.offlineHint']).toBe(OFFLINE_MODE_HINT.en);
});
