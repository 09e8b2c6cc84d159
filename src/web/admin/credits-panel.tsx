import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client.js';
import { PLANS, type Plan } from '../../shared/accounts.js';
import type { User } from '../api/types.js';
import type { CreditsView } from '../chat/types.js';
import { FormAlert } from '../components/form-alert.js';
import { formatDate } from '../i18n/format.js';
import { useI18n } from '../i18n/i18n-provider.js';

/** Admin: a user's plan, chat credits and ledger; adjust credits with a reason. */
export function CreditsPanel({ users, onUserChanged }: { users: User[]; onUserChanged(): void }) {
  const { t, locale } = useI18n();
  const [userId, setUserId] = useState(users.find((u) => u.role === 'member')?.id ?? users[0]?.id ?? '');
  const [view, setView] = useState<CreditsView | null>(null);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const ids = { user: useId(), plan: useId(), amount: useId(), reason: useId() };
  const user = users.find((u) => u.id === userId);

  useEffect(() => {
    if (!userId) return;
    const controller = new AbortController();
    api<CreditsView>('GET', `/api/admin/users/${userId}/credits`, undefined, controller.signal).then(setView, (err: unknown) => {
      if (err instanceof ApiError) setError(err.message);
    });
    return () => controller.abort();
  }, [userId, version]);

  const run = async (action: () => Promise<unknown>, done: string) => {
    setError(null);
    setNotice(null);
    try {
      await action();
      setNotice(done);
      setVersion((v) => v + 1);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  const changePlan = (plan: Plan) =>
    run(async () => {
      await api('PATCH', `/api/users/${userId}`, { plan });
      onUserChanged();
    }, t('admin.credits.planSaved'));

  const adjust = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api('POST', `/api/admin/users/${userId}/credits/adjust`, { amount: Number(amount), reason });
      setAmount('');
      setReason('');
    }, t('admin.credits.adjusted'));
  };

  const input = 'rounded-lg border border-slate-400 bg-white px-3 py-2 text-slate-900';
  const th = 'px-3 py-2 text-left text-sm font-semibold text-slate-700';
  return (
    <div className="flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-4">
      <p className="text-slate-700">{t('admin.credits.intro')}</p>
      <div className="flex flex-wrap items-end gap-4">
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.user} className="font-semibold">{t('admin.credits.user')}</label>
          <select id={ids.user} value={userId} onChange={(e) => setUserId(e.target.value)} className={input}>
            {users.map((u) => (
              <option key={u.id} value={u.id}>{`${u.name} (${u.email})`}</option>
            ))}
          </select>
        </div>
        {user && (
          <div className="flex flex-col gap-1">
            <label htmlFor={ids.plan} className="font-semibold">{t('admin.credits.plan')}</label>
            <select id={ids.plan} value={view?.credits.plan ?? user.plan} onChange={(e) => void changePlan(e.target.value as Plan)} className={input}>
              {PLANS.map((p) => (
                <option key={p} value={p}>{t(`plan.${p}`)}</option>
              ))}
            </select>
          </div>
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
      <form onSubmit={adjust} className="flex flex-wrap items-end gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.amount} className="font-semibold">{t('admin.credits.amount')}</label>
          <input id={ids.amount} type="number" step={1} required value={amount} onChange={(e) => setAmount(e.target.value)} className={`${input} w-32`} />
        </div>
        <div className="flex flex-1 flex-col gap-1">
          <label htmlFor={ids.reason} className="font-semibold">{t('admin.credits.reason')}</label>
          <input id={ids.reason} required maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} className={input} />
        </div>
        <button type="submit" className="rounded-lg bg-indigo-700 px-4 py-2 font-semibold text-white hover:bg-indigo-800">{t('admin.credits.adjust')}</button>
      </form>
      <FormAlert title={t('admin.actionFailed')} message={error} />
      {notice && <p role="status" className="text-green-800">{notice}</p>}
      {view && (
        <div className="overflow-x-auto">
          {view.entries.length === 0 ? (
            <p className="text-slate-700">{t('admin.credits.noEntries')}</p>
          ) : (
            <table className="w-full min-w-[36rem] border-collapse">
              <thead className="bg-slate-100">
                <tr>
                  <th scope="col" className={th}>{t('admin.credits.col.date')}</th>
                  <th scope="col" className={th}>{t('admin.credits.col.kind')}</th>
                  <th scope="col" className={th}>{t('admin.credits.col.amount')}</th>
                  <th scope="col" className={th}>{t('admin.credits.col.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {view.entries.map((e) => (
                  <tr key={e.id} className="border-t border-slate-200">
                    <td className="px-3 py-2 text-slate-700">{formatDate(locale, e.createdAt, 'dateTime')}</td>
                    <td className="px-3 py-2 text-slate-700">{t(`admin.credits.kind.${e.kind}`)}</td>
                    <td className="px-3 py-2 font-mono text-slate-900">{e.amount > 0 ? `+${e.amount}` : e.amount}</td>
                    <td className="px-3 py-2 text-slate-700">{e.reason ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </div>
  );
}
