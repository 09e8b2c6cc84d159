import { Link } from 'react-router';
import { AuthCard } from './auth-card.js';
import { useAuthForm } from './use-auth-form.js';
import { useSession } from './use-session.js';
import { checkEmail, checkName, checkNewPassword } from './validate.js';
import { FormAlert } from '../components/alert.js';
import { Button } from '../components/button.js';
import { TextField } from '../components/field.js';
import { usePageTitle } from '../components/use-page-title.js';
import { useT } from '../i18n/i18n-provider.js';

/** Creates an account in the public organization (as a member) and signs in. */
export function SignupPage() {
  const t = useT();
  const { signUp, config } = useSession();
  usePageTitle(t('signup.title'));
  const form = useAuthForm({
    initial: { name: '', email: '', password: '' },
    validate: (v) => ({ name: checkName(v.name), email: checkEmail(v.email), password: checkNewPassword(v.password) }),
    errorOverrides: { CONFLICT: 'error.signUp.CONFLICT', FORBIDDEN: 'error.signUp.FORBIDDEN' },
    submit: (v) => signUp({ name: v.name.trim(), email: v.email.trim(), password: v.password }),
  });

  const toLogin = (
    <p>
      {t('signup.haveAccount')}{' '}
      <Link to="/login" className="font-semibold text-indigo-700 underline underline-offset-4 hover:text-indigo-900">
        {t('signup.toLogin')}
      </Link>
    </p>
  );

  if (!config?.signupEnabled) {
    return (
      <AuthCard title={t('signup.disabledTitle')} intro={t('login.signupDisabled')}>
        <div className="text-center">{toLogin}</div>
      </AuthCard>
    );
  }

  return (
    <AuthCard title={t('signup.title')} intro={t('signup.intro')} footer={toLogin}>
      <form noValidate onSubmit={(e) => void form.onSubmit(e)} className="flex flex-col gap-4">
        <FormAlert title={t('signup.failed')} message={form.formError} />
        <p className="text-sm text-slate-600">{t('form.requiredHint')}</p>
        <TextField
          label={t('field.name')}
          autoComplete="name"
          required
          maxLength={120}
          {...form.bind('name')}
        />
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
          autoComplete="new-password"
          required
          minLength={8}
          maxLength={128}
          hint={t('field.passwordHintNew')}
          {...form.bind('password')}
        />
        <Button type="submit" busy={form.busy} busyLabel={t('signup.submitting')}>
          {t('signup.submit')}
        </Button>
      </form>
    </AuthCard>
  );
}
