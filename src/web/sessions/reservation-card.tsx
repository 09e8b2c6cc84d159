import { ExternalLink, Video } from 'lucide-react';
import { useI18n } from '../i18n/i18n-provider.js';
import { formatSlot, formatTime } from './format-slot.js';
import { Replays } from './replays.js';
import { SessionDiscordForm } from './session-discord-form.js';
import type { Reservation } from './types.js';

/** One session: when, with whom, and the join / Discord / cancel actions (and, for its coach, the session's Discord link). */
export function ReservationCard({ reservation: r, nowMs, onJoin, onCancel, onChanged }: { reservation: Reservation; nowMs: number; onJoin(): void; onCancel(): void; onChanged(): void }) {
  const { t, locale } = useI18n();
  const open = r.status === 'booked' && nowMs >= Date.parse(r.joinOpensAt) && nowMs < Date.parse(r.roomExpiresAt);
  const canCancel = r.status === 'booked' && nowMs < Date.parse(r.startDate) && r.myRole !== null;
  const withWhom = r.myRole === 'coach' ? t('sessions.withPlayer', { name: r.playerName }) : r.myRole === 'player' ? t('sessions.withCoach', { name: r.coachName }) : t('sessions.between', { coach: r.coachName, player: r.playerName });
  return (
    <li className="flex flex-col gap-2 rounded-lg border border-slate-300 bg-white p-4" aria-label={`${r.title} — ${withWhom}`}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="text-lg font-semibold text-slate-900">{r.title}</h3>
        {r.status === 'cancelled' && <span className="rounded bg-slate-200 px-2 py-0.5 text-sm text-slate-800">{t('sessions.cancelled')}</span>}
      </div>
      <p className="text-slate-700">{withWhom}</p>
      <p className="text-slate-700">{formatSlot(locale, r.startDate, r.endDate)}</p>
      {r.myRole !== null && r.status === 'booked' && nowMs < Date.parse(r.roomExpiresAt) && (
        <div className="flex flex-wrap items-center gap-3">
          <button type="button" disabled={!open} onClick={onJoin} className="inline-flex items-center gap-2 rounded-lg bg-indigo-700 px-4 py-2 font-semibold text-white hover:bg-indigo-800 disabled:cursor-not-allowed disabled:opacity-60">
            <Video aria-hidden="true" className="size-4" /> {t('sessions.join')}
          </button>
          {!open && <span className="text-sm text-slate-700">{t('sessions.opensAt', { time: formatTime(locale, r.joinOpensAt) })}</span>}
          {r.discordUrl && (
            <a href={r.discordUrl} target="_blank" rel="noopener noreferrer" className="inline-flex items-center gap-1 font-semibold text-indigo-800 underline">
              {t('sessions.discord')} <ExternalLink aria-hidden="true" className="size-4" />
            </a>
          )}
          {canCancel && (
            <button type="button" onClick={onCancel} className="rounded-lg border border-slate-400 px-3 py-2 font-semibold text-slate-800 hover:bg-slate-100">
              {t('sessions.cancel')}
            </button>
          )}
        </div>
      )}
      {r.myRole === 'coach' && r.status === 'booked' && nowMs < Date.parse(r.roomExpiresAt) && <SessionDiscordForm reservation={r} onSaved={onChanged} />}
      {r.myRole !== null && r.status === 'booked' && nowMs >= Date.parse(r.startDate) && <Replays reservationId={r.id} />}
    </li>
  );
}
