import { useState, type FormEvent } from 'react';
import { PLANS, type Plan } from '../../shared/accounts.js';
import type { User } from '../api/types.js';
import { useErrorText } from '../api/use-error-text.js';
import { FormAlert, StatusText } from '../components/alert.js';
import { Button } from '../components/button.js';
import { cardClass } from '../components/card.js';
import { cellClass, DataTable, rowClass } from '../components/data-table.js';
import { EmptyState } from '../components/empty-state.js';
import { SelectField, TextField } from '../components/field.js';
import { formatDate } from '../i18n/format.js';
import { useI18n } from '../i18n/i18n-provider.js';
import { VoiceMinutesPanel } from '../voice/voice-minutes-panel.js';
import { useAdjustCredits, useChangePlan, useCredits } from './admin-api.js';

/** Admin: a user's plan, chat credits and ledger (adjust credits with a reason), and their voice minutes. */
export function CreditsPanel({ users }: { users: User[] }) {
  const { t, locale } = useI18n();
  const describe = useErrorText();
  const [userId, setUserId] = useState(users.find((u) => u.role === 'member')?.id ?? users[0]?.id ?? '');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const user = users.find((u) => u.id === userId);
  const credits = useCredits(userId);
  const changePlan = useChangePlan(userId);
  const adjust = useAdjustCredits(userId);
  const view = credits.data;
  const failed = changePlan.error ?? adjust.error ?? credits.error;
  const labels = { amount: t('admin.credits.amount'), reason: t('admin.credits.reason'), plan: t('admin.credits.plan') };

  const choosePlan = (plan: Plan) => {
    setNotice(null);
    adjust.reset();
    changePlan.mutate(plan, { onSuccess: () => setNotice(t('admin.credits.planSaved')) });
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    changePlan.reset();
    adjust.mutate(
      { amount: Number(amount), reason },
      {
        onSuccess: () => {
          setAmount('');
          setReason('');
          setNotice(t('admin.credits.adjusted'));
        },
      },
    );
  };

  return (
    <div className={cardClass('flex flex-col gap-4')}>
      <p className="text-slate-700">{t('admin.credits.intro')}</p>
      <div className="flex flex-wrap items-end gap-4">
        <SelectField label={t('admin.credits.user')} value={userId} onChange={(e) => { setUserId(e.target.value); setNotice(null); }}>
          {users.map((u) => (
            <option key={u.id} value={u.id}>{`${u.name} (${u.email})`}</option>
          ))}
        </SelectField>
        {user && (
          <SelectField label={labels.plan} value={view?.credits.plan ?? user.plan} disabled={changePlan.isPending} onChange={(e) => choosePlan(e.target.value as Plan)}>
            {PLANS.map((p) => (
              <option key={p} value={p}>{t(`plan.${p}`)}</option>
            ))}
          </SelectField>
        )}
        {view && (
          <p className="flex flex-col text-slate-800" data-testid="admin-credit-balance">
            <span>{t('admin.credits.balance', { period: view.credits.period, balance: view.credits.balance })}</span>
            <span className="font-semibold">
              {view.credits.remaining === null ? t('admin.credits.unlimited') : t('admin.credits.remaining', { remaining: view.credits.remaining })}
            </span>
          </p>
        )}
      </div>
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3">
        <TextField label={labels.amount} type="number" step={1} required value={amount} onChange={(e) => setAmount(e.target.value)} className="w-32" />
        <TextField fieldClassName="flex-1" label={labels.reason} required maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
        <Button type="submit" busy={adjust.isPending}>{t('admin.credits.adjust')}</Button>
      </form>
      <FormAlert title={t('admin.actionFailed')} message={failed ? describe(failed, { fieldLabels: labels }) : null} />
      <StatusText>{notice}</StatusText>
      {view &&
        (view.entries.length === 0 ? (
          <EmptyState>{t('admin.credits.noEntries')}</EmptyState>
        ) : (
          <DataTable minWidth="36rem" head={[t('admin.credits.col.date'), t('admin.credits.col.kind'), t('admin.credits.col.amount'), t('admin.credits.col.reason')]}>
            {view.entries.map((e) => (
              <tr key={e.id} className={rowClass}>
                <td className={cellClass}>{formatDate(locale, e.createdAt, 'dateTime')}</td>
                <td className={cellClass}>{t(`admin.credits.kind.${e.kind}`)}</td>
                <td className="px-3 py-2 font-mono text-slate-900">{e.amount > 0 ? `+${e.amount}` : e.amount}</td>
                <td className={cellClass}>{e.reason ?? ''}</td>
              </tr>
            ))}
          </DataTable>
        ))}
      {userId !== '' && (
        <section aria-labelledby="admin-voice-minutes" className="flex flex-col gap-2 border-t border-slate-200 pt-4">
          <h3 id="admin-voice-minutes" className="font-semibold text-slate-900">{t('voice.minutes.title')}</h3>
          <VoiceMinutesPanel userId={userId} showSessions />
        </section>
      )}
    </div>
  );
}
