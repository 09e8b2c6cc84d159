import { describe, expect, it } from 'vitest';
import type { VoiceMinutes } from '../../shared/api/voice.js';
import { ApiError } from '../api/client.js';
import type { MessageKey } from '../i18n/fr.js';
import { translate, type MessageParams } from '../i18n/locales.js';
import { credentialFailure } from './voice-client.js';
import { formatVoiceSeconds, voiceMinutesLines, voiceUsageKeys, voiceUsageUrl } from './voice-usage.js';

const tFr = (key: MessageKey, params?: MessageParams) => translate('fr', key, params);
const tEn = (key: MessageKey, params?: MessageParams) => translate('en', key, params);
const month = (patch: Partial<VoiceMinutes>): VoiceMinutes => ({
  plan: 'FREE',
  period: '2026-11',
  allowanceSeconds: 1800,
  usedSeconds: 0,
  remainingSeconds: 1800,
  status: 'ACTIVE',
  ...patch,
});

describe('voice minutes shown to members and admins', () => {
  it('says durations the way people do, in both languages', () => {
    expect([0, 45, 60, 750, 1800, 3900, 18_000].map((s) => formatVoiceSeconds(s, tEn))).toEqual(['0 s', '45 s', '1 min', '12 min 30 s', '30 min', '1 h 05 min', '5 h']);
    expect(formatVoiceSeconds(750, tFr)).toBe('12 min 30 s');
  });

  it('used of the allowance, what is left, and how full the month is', () => {
    const half = month({ usedSeconds: 750, remainingSeconds: 1050 });
    expect(voiceMinutesLines(half, tEn)).toEqual({ used: '12 min 30 s used of 30 min this month', remaining: '17 min 30 s left', percentUsed: 42 });
    expect(voiceMinutesLines(half, tFr)).toEqual({ used: '12 min 30 s utilisées sur 30 min ce mois-ci', remaining: 'Reste : 17 min 30 s', percentUsed: 42 });
  });

  it('a month used up, and an unlimited plan', () => {
    expect(voiceMinutesLines(month({ usedSeconds: 1800, remainingSeconds: 0, status: 'NO_CREDITS' }), tFr)).toMatchObject({ remaining: 'Minutes de voix épuisées pour ce mois', percentUsed: 100 });
    expect(voiceMinutesLines(month({ plan: 'PREMIUM', allowanceSeconds: null, remainingSeconds: null, usedSeconds: 3900 }), tEn)).toEqual({
      used: '1 h 05 min used this month',
      remaining: 'Unlimited voice minutes',
      percentUsed: null,
    });
    // A plan with no voice at all (VOICE_MINUTES_FREE=0) reads as used up, not as a division by zero.
    expect(voiceMinutesLines(month({ allowanceSeconds: 0, remainingSeconds: 0 }), tEn).percentUsed).toBe(100);
  });

  it('a 402 when minting is the minutes running out, not a broken token', () => {
    expect(credentialFailure(new ApiError(402, 'NO_CREDITS', 'Vous avez épuisé vos minutes de voix.'))).toBe('NO_MINUTES');
    expect(credentialFailure(new ApiError(403, 'FORBIDDEN'))).toBe('TOKEN_FAILED');
    expect(credentialFailure(new Error('boom'))).toBe('TOKEN_FAILED');
    expect(tEn('voice.error.NO_MINUTES')).toContain('voice minutes');
    expect(tFr('voice.error.NO_MINUTES')).toContain('minutes de voix');
  });

  it('one URL and query key per member', () => {
    expect(voiceUsageUrl()).toBe('/api/voice/usage');
    expect(voiceUsageUrl('a b')).toBe('/api/voice/usage?userId=a%20b');
    expect(voiceUsageKeys.of(undefined)).not.toEqual(voiceUsageKeys.of('u1'));
  });
});
