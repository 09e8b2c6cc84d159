import type { User } from '../api/types.js';
import { formatDate } from '../i18n/format.js';
import { useI18n } from '../i18n/i18n-provider.js';

export function UsersTable({ users }: { users: User[] }) {
  const { t, locale } = useI18n();
  const th = 'px-3 py-2 text-left text-sm font-semibold text-slate-700';
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="w-full min-w-[40rem] border-collapse">
        <thead className="bg-slate-100">
          <tr>
            <th scope="col" className={th}>{t('admin.col.name')}</th>
            <th scope="col" className={th}>{t('admin.col.email')}</th>
            <th scope="col" className={th}>{t('admin.col.role')}</th>
            <th scope="col" className={th}>{t('admin.col.plan')}</th>
            <th scope="col" className={th}>{t('admin.col.createdAt')}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id} className="border-t border-slate-200">
              <th scope="row" className="px-3 py-2 text-left font-medium text-slate-900">{user.name}</th>
              <td className="px-3 py-2 text-slate-700">{user.email}</td>
              <td className="px-3 py-2 text-slate-700">{t(`role.${user.role}`)}</td>
              <td className="px-3 py-2 text-slate-700">{t(`plan.${user.plan}`)}</td>
              <td className="px-3 py-2 text-slate-700">{formatDate(locale, user.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
