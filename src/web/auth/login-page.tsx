import { Link } from 'react-router';
import { AuthCard } from './auth-card.js';
import { useAuthForm } from './use-auth-form.js';
import { useSession } from './use-session.js';
import { checkEmail, checkPassword } from './validate.js';
import { FormAlert } from '../components/alert.js';
import { Button } from '../components/button.js';
import { TextField } from '../components/field.js';
import { usePageTitle } from '../components/use-page-title.js';
import { useT } from '../i18n/i18n-provider.js';

/** Email + password sign-in. Once signed in, RedirectIfSignedIn sends the user on. */
export function LoginPage() {
  const t = useT();
  const { signIn, config } = useSession();
  usePageTitle(t('login.title'));
  const form = useAuthForm({
    initial: { email: '', password: '' },
    validate: (v) => ({ email: checkEmail(v.email), password: checkPassword(v.password) }),
    errorOverrides: { UNAUTHENTICATED: 'error.signIn.UNAUTHENTICATED' },
    submit: (v) => signIn({ email: v.email.trim(), password: v.password }),
  });

  return (
    <AuthCard
      title={t('login.title')}
      intro={t('login.intro')}
      footer={
        config?.signupEnabled ? (
          <p>
            {t('login.noAccount')}{' '}
            <Link to="/signup" className="font-semibold text-indigo-700 underline underline-offset-4 hover:text-indigo-900">
              {t('login.toSignup')}
            </Link>
          </p>
        ) : (
          <p className="text-slate-600">{t('login.signupDisabled')}</p>
        )
      }
    >
      <form noValidate onSubmit={(e) => void form.onSubmit(e)} className="flex flex-col gap-4">
        <FormAlert title={t('login.failed')} message={form.formError} />
        <p className="text-sm text-slate-600">{t('form.requiredHint')}</p>
        <TextField
          label={t('field.email')}
          type="email"
          autoComplete="email"
          inputMode="email"
          required
          {...form.bind('email')}
        />
        <TextField
          label={t('field.password')}
          type="password"
          autoComplete="current-password"
          required
          {...form.bind('password')}
        />
        <Button type="submit" busy={form.busy} busyLabel={t('login.submitting')}>
          {t('login.submit')}
        </Button>
      </form>
    </AuthCard>
  );
}
