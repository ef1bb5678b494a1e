import { ApiError, type ApiClient } from '../api';
import { h } from '../lib/dom';
import type { Session } from '../types';

/** The admin console's door: the admin password (Chatroom:Admin:Password). */
export function adminSignInView(api: ApiClient, onSignedIn: (session: Session) => void, notice: string | null): HTMLElement {
  const input = h('input', {
    class: 'text-input large',
    testid: 'admin-password',
    attrs: { id: 'admin-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, autofocus: true },
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
        api.signInAsAdmin(input.value).then(onSignedIn, (failure: unknown) => {
          button.disabled = false;
          error.textContent = failure instanceof ApiError ? failure.message : 'Could not sign in.';
          input.select();
        });
      },
    },
  }, h('label', { class: 'field-label', attrs: { for: 'admin-password' } }, 'Admin password'), input, button, error);

  queueMicrotask(() => input.focus());
  return h('main', { class: 'signin', testid: 'admin-signin' },
    h('div', { class: 'signin-card' },
      h('div', { class: 'brand large' }, h('span', { class: 'brand-mark', attrs: { 'aria-hidden': 'true' } }, '●'), 'Chatroom admin'),
      h('p', { class: 'lead' }, 'Watch rooms live, review flagged messages and manage agents.'),
      form,
      h('p', { class: 'muted small' }, h('a', { attrs: { href: '/' } }, 'Back to the chat'))));
}
