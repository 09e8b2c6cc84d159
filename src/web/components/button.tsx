import { LoaderCircle } from 'lucide-react';
import type { ButtonHTMLAttributes, ReactNode, Ref } from 'react';
import { Link, type LinkProps } from 'react-router';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'dangerOutline' | 'ghost';
export type ButtonSize = 'sm' | 'md' | 'icon';

const VARIANTS: Record<ButtonVariant, string> = {
  primary: 'bg-indigo-700 text-white shadow-sm hover:bg-indigo-800',
  secondary: 'border border-slate-400 bg-white text-slate-800 hover:bg-slate-100',
  danger: 'bg-red-700 text-white hover:bg-red-800',
  dangerOutline: 'border border-red-300 bg-white text-red-800 hover:bg-red-50',
  ghost: 'text-slate-700 hover:bg-slate-200',
};
const SIZES: Record<ButtonSize, string> = { sm: 'px-3 py-1.5 text-sm', md: 'px-4 py-2', icon: 'p-1.5' };

/** The classes of a button, for the rare element that is not a <Button> (a link that looks like one). */
export function buttonClass(variant: ButtonVariant = 'primary', size: ButtonSize = 'md', extra = ''): string {
  return `inline-flex items-center justify-center gap-2 rounded-lg font-semibold disabled:cursor-not-allowed disabled:opacity-60 ${VARIANTS[variant]} ${SIZES[size]} ${extra}`.trim();
}

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** An icon before the text (aria-hidden). */
  icon?: ReactNode;
  /** Shows a spinner, disables the button and, with busyLabel, says what is happening. */
  busy?: boolean;
  busyLabel?: string;
  ref?: Ref<HTMLButtonElement>;
}

/** Every button of the app: primary (one per form), secondary, danger, ghost; `type="button"` unless said. */
export function Button({ variant = 'primary', size = 'md', icon, busy = false, busyLabel, className = '', type = 'button', disabled, children, ref, ...rest }: ButtonProps) {
  return (
    <button ref={ref} type={type} disabled={disabled || busy} aria-busy={busy || undefined} className={buttonClass(variant, size, className)} {...rest}>
      {busy ? <LoaderCircle aria-hidden="true" className="size-4 animate-spin" /> : icon}
      {busy && busyLabel ? busyLabel : children}
    </button>
  );
}

/** A router link drawn as a button. */
export function ButtonLink({ variant = 'primary', size = 'md', icon, className = '', children, ...link }: LinkProps & { variant?: ButtonVariant; size?: ButtonSize; icon?: ReactNode }) {
  return (
    <Link {...link} className={buttonClass(variant, size, className)}>
      {icon}
      {children}
    </Link>
  );
}
