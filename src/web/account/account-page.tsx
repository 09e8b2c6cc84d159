import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useErrorText } from '../api/use-error-text.js';
import { useSession, type SignedIn } from '../auth/use-session.js';
import { FormAlert, StatusText } from '../components/alert.js';
import { Button } from '../components/button.js';
import { cardClass, PageHeader, PageSection } from '../components/card.js';
import { TimeZoneSelect } from '../components/time-zone-select.js';
import { usePageTitle } from '../components/use-page-title.js';
import { useT } from '../i18n/i18n-provider.js';
import { browserTimeZone } from '../i18n/time-zone.js';
import { VoiceMinutesPanel } from '../voice/voice-minutes-panel.js';

/**
 * "Mon compte": the account's preferences, one <PageSection> each (the language is the header's
 * switch). New account settings or usage figures are another section here.
 */
export function AccountPage() {
  const t = useT();
  const { session } = useSession();
  usePageTitle(t('account.title'));
  if (!session) return null;
  return (
    <div className="flex max-w-2xl flex-col gap-6">
      <PageHeader title={t('account.title')} intro={t('account.intro')} />
      <PageSection id="account-emails" title={t('account.emailsTitle')}>
        <TimeZoneForm session={session} />
      </PageSection>
      <PageSection id="account-voice-minutes" title={t('voice.minutes.title')}>
        <div className={cardClass('flex flex-col gap-3')}>
          <p className="text-slate-700">{t('voice.minutes.intro')}</p>
          <VoiceMinutesPanel showSessions />
        </div>
      </PageSection>
    </div>
  );
}

/** The time zone of the account's emails (the browser's is set at sign-up). */
function TimeZoneForm({ session }: { session: SignedIn }) {
  const t = useT();
  const describe = useErrorText();
  const { updateMe } = useSession();
  const [zone, setZone] = useState(session.user.timeZone || browserTimeZone());
  const save = useMutation({ mutationFn: (timeZone: string) => updateMe({ timeZone }) });
  const browserZone = browserTimeZone();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(zone);
  };

  return (
    <form noValidate onSubmit={submit} className={cardClass('flex flex-col gap-4')}>
      <FormAlert title={t('account.saveFailed')} message={save.isError ? describe(save.error, { fieldLabels: { timeZone: t('account.timeZone') } }) : null} />
      <TimeZoneSelect label={t('account.timeZone')} value={zone} onChange={setZone} hint={t('account.timeZoneHint', { zone: browserZone })} />
      {zone !== browserZone && (
        <Button variant="secondary" size="sm" className="self-start" onClick={() => setZone(browserZone)}>
          {t('account.useBrowserZone', { zone: browserZone })}
        </Button>
      )}
      <div>
        <Button type="submit" busy={save.isPending} busyLabel={t('account.saving')}>
          {t('account.save')}
        </Button>
      </div>
      <StatusText>{save.isSuccess ? t('account.saved') : null}</StatusText>
    </form>
  );
}
