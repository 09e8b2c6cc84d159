import { useSession } from '../auth/use-session.js';
import { usePageTitle } from '../components/use-page-title.js';
import { AreaCard } from './area-card.js';
import { areasFor } from './areas.js';
import { formatDate } from '../i18n/format.js';
import { useI18n } from '../i18n/i18n-provider.js';

/** The signed-in landing page: the product's areas for the user's role. */
export function HomePage() {
  const { t, locale } = useI18n();
  const { session } = useSession();
  usePageTitle(t('home.title'));
  if (!session) return null; // RequireAuth guarantees a session
  const { user, organization } = session;
  const areas = areasFor(user.role);
  return (
    <div className="flex flex-col gap-8">
      <section aria-labelledby="home-title" className="flex flex-col gap-2">
        <h1 id="home-title" className="text-3xl font-bold text-slate-900">
          {t('home.greeting', { name: user.name })}
        </h1>
        <p className="max-w-3xl text-lg text-slate-700">
          {t('home.intro', { role: t(`role.${user.role}`).toLowerCase(), organization: organization.name })}
        </p>
        <p className="text-sm text-slate-600">
          {t('home.memberSince', { date: formatDate(locale, user.createdAt) })} · {t('home.plan', { plan: t(`plan.${user.plan}`) })}
        </p>
      </section>
      <section aria-labelledby="areas-title" className="flex flex-col gap-4">
        <h2 id="areas-title" className="text-xl font-semibold text-slate-900">
          {t('home.areas')}
        </h2>
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {areas.map((area) => (
            <AreaCard key={area.id} area={area} />
          ))}
        </ul>
      </section>
    </div>
  );
}
