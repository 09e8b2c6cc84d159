import type { User } from '../api/types.js';
import { cellClass, DataTable, rowClass } from '../components/data-table.js';
import { formatDate } from '../i18n/format.js';
import { useI18n } from '../i18n/i18n-provider.js';

export function UsersTable({ users }: { users: User[] }) {
  const { t, locale } = useI18n();
  return (
    <DataTable head={[t('admin.col.name'), t('admin.col.email'), t('admin.col.role'), t('admin.col.plan'), t('admin.col.createdAt')]}>
      {users.map((user) => (
        <tr key={user.id} className={rowClass}>
          <th scope="row" className="px-3 py-2 text-left font-medium text-slate-900">{user.name}</th>
          <td className={cellClass}>{user.email}</td>
          <td className={cellClass}>{t(`role.${user.role}`)}</td>
          <td className={cellClass}>{t(`plan.${user.plan}`)}</td>
          <td className={cellClass}>{formatDate(locale, user.createdAt)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
