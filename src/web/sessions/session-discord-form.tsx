import { useId, useState, type FormEvent } from 'react';
import { useErrorText } from '../api/use-error-text.js';
import { StatusText } from '../components/alert.js';
import { Button } from '../components/button.js';
import { TextField } from '../components/field.js';
import { useI18n } from '../i18n/i18n-provider.js';
import { useSetSessionDiscord } from './bookings-api.js';
import type { Reservation } from './types.js';

/** The coach sets this session's own Discord link (PATCH /api/reservations/:id), or goes back to the offer's. */
export function SessionDiscordForm({ reservation }: { reservation: Reservation }) {
  const { t } = useI18n();
  const describe = useErrorText();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState(reservation.sessionDiscordUrl ?? '');
  const save = useSetSessionDiscord(reservation.id);
  const panelId = useId();

  const saveLink = (discordUrl: string | null) =>
    save.mutate(discordUrl, {
      onSuccess: () => {
        if (discordUrl === null) setValue('');
      },
    });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    saveLink(value.trim() || null);
  };
  const error = save.isError
    ? t('sessions.discordFailed', { message: describe(save.error, { overrides: { VALIDATION_FAILED: 'sessions.discordInvalid', CONFLICT: 'error.reservation.CONFLICT' } }) })
    : undefined;

  return (
    <div>
      <Button variant="secondary" size="sm" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen(!open)}>
        {t('sessions.discordEdit')}
      </Button>
      <div id={panelId} hidden={!open}>
        <form noValidate onSubmit={submit} className="mt-2 flex max-w-xl flex-col gap-2">
          <TextField
            label={t('sessions.discordField', { title: reservation.title })}
            type="url"
            inputMode="url"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            placeholder="https://discord.gg/…"
            hint={t('sessions.discordHint')}
            error={error}
          />
          <div className="flex flex-wrap gap-3">
            <Button type="submit" size="sm" busy={save.isPending}>{t('sessions.discordSave')}</Button>
            {reservation.sessionDiscordUrl && (
              <Button variant="secondary" size="sm" disabled={save.isPending} onClick={() => saveLink(null)}>
                {t('sessions.discordRemove')}
              </Button>
            )}
          </div>
          <StatusText className="text-sm">{save.isSuccess ? t('sessions.discordSaved') : null}</StatusText>
        </form>
      </div>
    </div>
  );
}
