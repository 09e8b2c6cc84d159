import { ExternalLink, Video } from 'lucide-react';
import { Badge } from '../components/badge.js';
import { Button } from '../components/button.js';
import { cardClass } from '../components/card.js';
import { useI18n } from '../i18n/i18n-provider.js';
import { formatSlot, formatTime } from './format-slot.js';
import { Replays } from './replays.js';
import { SessionDiscordForm } from './session-discord-form.js';
import type { Reservation } from './types.js';

/** One session: when, with whom, and the join / Discord / cancel actions (and, for its coach, the session's Discord link). */
export function ReservationCard({ reservation: r, nowMs, onJoin, onCancel }: { reservation: Reservation; nowMs: number; onJoin(): void; onCancel(): void }) {
  const { t, locale } = useI18n();
  const open = r.status === 'booked' && nowMs >= Date.parse(r.joinOpensAt) && nowMs < Date.parse(r.roomExpiresAt);
  const canCancel = r.status === 'booked' && nowMs < Date.parse(r.startDate) && r.myRole !== null;
  const withWhom = r.myRole === 'coach' ? t('sessions.withPlayer', { name: r.playerName }) : r.myRole === 'player' ? t('sessions.withCoach', { name: r.coachName }) : t('sessions.between', { coach: r.coachName, player: r.playerName });
  return (
    <li className={cardClass('flex flex-col gap-2')} aria-label={`${r.title} — ${withWhom}`}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="text-lg font-semibold text-slate-900">{r.title}</h3>
        {r.status === 'cancelled' && <Badge>{t('sessions.cancelled')}</Badge>}
      </div>
      <p className="text-slate-700">{withWhom}</p>
      <p className="text-slate-700">{formatSlot(locale, r.startDate, r.endDate)}</p>
      {r.myRole !== null && r.status === 'booked' && nowMs < Date.parse(r.roomExpiresAt) && (
        <div className="flex flex-wrap items-center gap-3">
          <Button disabled={!open} onClick={onJoin} icon={<Video aria-hidden="true" className="size-4" />}>
            {t('sessions.join')}
          </Button>
          {!open && <span className="text-sm text-slate-700">{t('sessions.opensAt', { time: formatTime(locale, r.joinOpensAt) })}</span>}
          {r.discordUrl && (
            <a href={r.discordUrl} target="_blank" rel="noopener noreferrer" className="inline-flex items-center gap-1 font-semibold text-indigo-800 underline">
              {t('sessions.discord')} <ExternalLink aria-hidden="true" className="size-4" />
            </a>
          )}
          {canCancel && (
            <Button variant="secondary" onClick={onCancel}>
              {t('sessions.cancel')}
            </Button>
          )}
        </div>
      )}
      {r.myRole === 'coach' && r.status === 'booked' && nowMs < Date.parse(r.roomExpiresAt) && <SessionDiscordForm reservation={r} />}
      {r.myRole !== null && r.status === 'booked' && nowMs >= Date.parse(r.startDate) && <Replays reservationId={r.id} />}
    </li>
  );
}
