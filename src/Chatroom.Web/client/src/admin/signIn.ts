import { ApiError, type ApiClient } from '../api';
import { h } from '../lib/dom';
import type { SecondFactor, Session, TwoFactorChallenge } from '../types';

/** `123 456` → a TOTP code; anything else (with a recovery code offered) → a recovery code. */
export function secondFactorOf(input: string, methods: readonly string[]): SecondFactor | null {
  const compact = input.replace(/\s+/g, '');
  if (!compact) return null;
  if (methods.includes('totp') && /^\d{6}$/.test(compact)) return { code: compact };
  if (methods.includes('recovery_code')) return { recoveryCode: compact };
  return null;
}

/** What the code field asks for, from the methods the challenge offers. */
export function secondFactorLabel(methods: readonly string[]): string {
  const totp = methods.includes('totp');
  const recovery = methods.includes('recovery_code');
  if (totp && recovery) return 'Authenticator code (6 digits) or a recovery code';
  return recovery ? 'Recovery code' : 'Authenticator code (6 digits)';
}

/**
 * The admin console's door: an admin account's name (default `admin`) and password, then, when the account has a
 * second factor, its code. Nothing is kept until the server hands out tokens.
 */
export function adminSignInView(api: ApiClient, onSignedIn: (session: Session) => void, notice: string | null): HTMLElement {
  const card = h('div', { class: 'signin-card' });
  const header = [
    h('div', { class: 'brand large' }, h('span', { class: 'brand-mark', attrs: { 'aria-hidden': 'true' } }, '●'), 'Chatroom admin'),
    h('p', { class: 'lead' }, 'Watch rooms live, review flagged messages and manage agents.'),
  ];
  const footer = h('p', { class: 'muted small' }, h('a', { attrs: { href: '/' } }, 'Back to the chat'));

  const showPassword = (message: string | null): void => {
    card.replaceChildren(...header, passwordForm(api, message, onSignedIn, (challenge) => card.replaceChildren(...header,
      secondFactorForm(api, challenge, onSignedIn, () => showPassword(null)), footer)), footer);
  };
  showPassword(notice);
  return h('main', { class: 'signin', testid: 'admin-signin' }, card);
}

function passwordForm(
  api: ApiClient,
  notice: string | null,
  onSignedIn: (session: Session) => void,
  onChallenge: (challenge: TwoFactorChallenge) => void,
): HTMLElement {
  const userName = h('input', {
    class: 'text-input',
    testid: 'admin-username',
    attrs: { id: 'admin-username', name: 'username', type: 'text', autocomplete: 'username', placeholder: 'admin', spellcheck: 'false' },
  });
  const input = h('input', {
    class: 'text-input large',
    testid: 'admin-password',
    attrs: { id: 'admin-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true },
  });
  const error = h('p', { class: 'form-error', testid: 'admin-signin-error', attrs: { role: 'alert' } }, notice ?? '');
  const button = h('button', { class: 'primary-button', testid: 'admin-sign-in', attrs: { type: 'submit' } }, 'Sign in');
  const form = h('form', {
    class: 'signin-form',
    on: {
      submit: (e) => {
        e.preventDefault();
        if (!input.value) {
          error.textContent = 'Enter the admin password.';
          input.focus();
          return;
        }
        button.disabled = true;
        error.textContent = '';
        api.signInAsAdmin(input.value, userName.value).then((answer) => {
          if ('twoFactorRequired' in answer && answer.twoFactorRequired) onChallenge(answer);
          else onSignedIn(answer as Session);
        }, (failure: unknown) => {
          button.disabled = false;
          error.textContent = failure instanceof ApiError ? failure.message : 'Could not sign in.';
          input.select();
        });
      },
    },
  },
  h('label', { class: 'field-label', attrs: { for: 'admin-username' } }, 'Admin user name ', h('span', { class: 'muted' }, '(optional, default admin)')),
  userName,
  h('label', { class: 'field-label', attrs: { for: 'admin-password' } }, 'Admin password'), input, button, error);

  queueMicrotask(() => input.focus());
  return form;
}

function secondFactorForm(
  api: ApiClient,
  challenge: TwoFactorChallenge,
  onSignedIn: (session: Session) => void,
  onRestart: () => void,
): HTMLElement {
  const totpOnly = !challenge.methods.includes('recovery_code');
  const input = h('input', {
    class: 'text-input large',
    testid: 'admin-2fa-code',
    attrs: {
      id: 'admin-2fa-code', name: 'code', type: 'text', autocomplete: 'one-time-code', required: true, spellcheck: 'false',
      ...(totpOnly ? { inputmode: 'numeric', maxlength: 7 } : {}),
    },
  });
  const error = h('p', { class: 'form-error', testid: 'admin-2fa-error', attrs: { role: 'alert' } });
  const button = h('button', { class: 'primary-button', testid: 'admin-2fa-submit', attrs: { type: 'submit' } }, 'Verify');
  const restart = h('button', { class: 'ghost-button', testid: 'admin-2fa-restart', attrs: { type: 'button' }, on: { click: onRestart } }, 'Start over');
  const form = h('form', {
    class: 'signin-form',
    testid: 'admin-2fa',
    on: {
      submit: (e) => {
        e.preventDefault();
        const factor = secondFactorOf(input.value, challenge.methods);
        if (!factor) {
          error.textContent = totpOnly ? 'Enter the 6-digit code from your authenticator app.' : 'Enter a code.';
          input.focus();
          return;
        }
        button.disabled = true;
        error.textContent = '';
        api.signInSecondFactor(challenge.ticket, factor).then(onSignedIn, (failure: unknown) => {
          button.disabled = false;
          error.textContent = failure instanceof ApiError ? failure.message : 'Could not sign in.';
          input.select();
        });
      },
    },
  },
  h('p', { class: 'muted' }, 'This account has a second factor.'),
  h('label', { class: 'field-label', attrs: { for: 'admin-2fa-code' } }, secondFactorLabel(challenge.methods)), input, button, restart, error);

  queueMicrotask(() => input.focus());
  return form;
}
