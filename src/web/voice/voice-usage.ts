import { useQuery } from '@tanstack/react-query';
import type { VoiceMinutes, VoiceUsageResponse } from '../../shared/api/voice.js';
import { api } from '../api/client.js';
import type { MessageKey } from '../i18n/fr.js';
import type { MessageParams } from '../i18n/locales.js';

type Translate = (key: MessageKey, params?: MessageParams) => string;

/** GET /api/voice/usage: a member's voice minutes this month (yourself, or a member for admins). */
export const voiceUsageUrl = (userId?: string) => `/api/voice/usage${userId ? `?userId=${encodeURIComponent(userId)}` : ''}`;

export const voiceUsageKeys = {
  all: ['voiceUsage'] as const,
  of: (userId: string | undefined) => [...voiceUsageKeys.all, userId ?? 'me'] as const,
};

export const useVoiceUsage = (userId?: string) =>
  useQuery({ queryKey: voiceUsageKeys.of(userId), queryFn: ({ signal }) => api<VoiceUsageResponse>('GET', voiceUsageUrl(userId), undefined, signal), enabled: userId !== '' });

/** Seconds as people say them: "45 s", "12 min", "12 min 30 s", "5 h", "2 h 05 min" (seconds dropped past an hour). */
export function formatVoiceSeconds(seconds: number, t: Translate): string {
  const total = Math.max(0, Math.round(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  if (hours > 0 && minutes === 0) return t('voice.minutes.hours', { hours });
  if (hours > 0) return t('voice.minutes.hoursMinutes', { hours, minutes: String(minutes).padStart(2, '0') });
  if (minutes === 0) return t('voice.minutes.seconds', { seconds: rest });
  if (rest === 0) return t('voice.minutes.minutes', { minutes });
  return t('voice.minutes.minutesSeconds', { minutes, seconds: rest });
}

/** What the account page and the admin panel say about a month of voice minutes. */
export function voiceMinutesLines(minutes: VoiceMinutes, t: Translate): { used: string; remaining: string; percentUsed: number | null } {
  const used = formatVoiceSeconds(minutes.usedSeconds, t);
  if (minutes.allowanceSeconds === null || minutes.remainingSeconds === null) {
    return { used: t('voice.minutes.usedUnlimited', { used }), remaining: t('voice.minutes.unlimited'), percentUsed: null };
  }
  const allowance = formatVoiceSeconds(minutes.allowanceSeconds, t);
  const percentUsed = minutes.allowanceSeconds === 0 ? 100 : Math.min(100, Math.round((minutes.usedSeconds / minutes.allowanceSeconds) * 100));
  return {
    used: t('voice.minutes.used', { used, allowance }),
    remaining: minutes.remainingSeconds === 0 ? t('voice.minutes.spent') : t('voice.minutes.remaining', { remaining: formatVoiceSeconds(minutes.remainingSeconds, t) }),
    percentUsed,
  };
}
