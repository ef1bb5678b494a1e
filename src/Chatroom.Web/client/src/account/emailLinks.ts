import { h } from '../lib/dom';
import type { AccountApi } from './accountApi';
import { busy, field, FormErrors, formError } from './forms';
import { passwordError } from './validation';

/** `?userId=…&token=…` of an email link; null when either is missing. */
export function linkParams(search: string): { userId: string; token: string } | null {
  const params = new URLSearchParams(search);
  const userId = params.get('userId');
  const token = params.get('token');
  return userId && token ? { userId, token } : null;
}

function page(testid: string, title: string, ...body: HTMLElement[]): HTMLElement {
  return h('main', { class: 'signin', testid },
    h('div', { class: 'signin-card' },
      h('div', { class: 'brand large' }, h('span', { class: 'brand-mark', attrs: { 'aria-hidden': 'true' } }, '●'), 'Chatroom'),
      h('h1', { class: 'signin-title' }, title),
      ...body));
}

const signInLink = (): HTMLElement => h('a', { class: 'primary-button', testid: 'go-sign-in', attrs: { href: '/' } }, 'Go to sign-in');
const brokenLink = 'This link is incomplete. Open the link from the email again, or ask for a new one from the sign-in screen.';

/**
 * /account/confirm-email?userId&token, the link of the confirmation email. It confirms on a click rather than on
 * load: mail scanners that open links would otherwise spend the single-use token.
 */
export function confirmEmailPage(accounts: AccountApi, search: string): HTMLElement {
  const link = linkParams(search);
  const status = h('p', { testid: 'confirm-status', attrs: { role: 'status', 'aria-live': 'polite' } });
  if (!link) {
    status.textContent = brokenLink;
    return page('confirm-email', 'Confirm your email', status, signInLink());
  }
  const error = formError('confirm-error');
  const button = h('button', { class: 'primary-button', testid: 'confirm-submit', attrs: { type: 'button' } }, 'Confirm my address');
  const body = h('div', { class: 'signin-form' }, h('p', null, 'One click and your account is ready.'), button, error);
  button.addEventListener('click', () => {
    error.textContent = '';
    void busy(button, () => accounts.confirmEmail(link.userId, link.token)).then(() => {
      status.textContent = 'Your address is confirmed. You can sign in now.';
      body.replaceChildren(signInLink());
      (body.firstElementChild as HTMLElement | null)?.focus();
    }, (failure: unknown) => {
      error.textContent = failure instanceof Error ? failure.message : 'Could not confirm the address.';
    });
  });
  queueMicrotask(() => button.focus());
  return page('confirm-email', 'Confirm your email', status, body);
}

/** /account/reset-password?userId&token, the link of the reset email: a new password, then every session is signed out. */
export function resetPasswordPage(accounts: AccountApi, search: string): HTMLElement {
  const link = linkParams(search);
  const status = h('p', { testid: 'reset-status', attrs: { role: 'status', 'aria-live': 'polite' } });
  if (!link) {
    status.textContent = brokenLink;
    return page('reset-password', 'Choose a new password', status, signInLink());
  }
  const password = field('password', 'reset-password-input', 'New password', { type: 'password', autocomplete: 'new-password', required: true });
  const general = formError('reset-error');
  const errors = new FormErrors([password], general);
  const submit = h('button', { class: 'primary-button', testid: 'reset-submit', attrs: { type: 'submit' } }, 'Set the new password');
  const form = h('form', {
    class: 'signin-form',
    attrs: { novalidate: true },
    on: {
      submit: (e) => {
        e.preventDefault();
        const problem = passwordError(password.input.value);
        if (!errors.check(problem ? { password: problem } : {})) return;
        void busy(submit, () => accounts.resetPassword(link.userId, link.token, password.input.value)).then(() => {
          status.textContent = 'Your password is changed and every session of the account was signed out. Sign in with the new password.';
          form.replaceWith(signInLink());
        }, (failure: unknown) => errors.fail(failure, 'Could not change the password.'));
      },
    },
  }, general, password.element, submit);
  queueMicrotask(() => password.input.focus());
  return page('reset-password', 'Choose a new password', status, form);
}
