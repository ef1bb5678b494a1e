import { ApiError, type ApiClient } from '../api';
import { h } from '../lib/dom';
import type { Session } from '../types';

const maxNameLength = 32;

/** The first screen: pick a name, get a guest session. */
export function signInView(api: ApiClient, onSignedIn: (session: Session) => void, notice: string | null): HTMLElement {
  const input = h('input', {
    class: 'text-input large',
    testid: 'name-input',
    attrs: { id: 'name', name: 'name', maxlength: maxNameLength, autocomplete: 'nickname', required: true, autofocus: true, placeholder: 'e.g. Ana', spellcheck: 'false' },
  });
  const error = h('p', { class: 'form-error', testid: 'signin-error', attrs: { role: 'alert' } }, notice ?? '');
  const button = h('button', { class: 'primary-button', testid: 'sign-in-button', attrs: { type: 'submit' } }, 'Start chatting');

  const form = h('form', {
    class: 'signin-form',
    testid: 'signin-form',
    on: {
      submit: (e) => {
        e.preventDefault();
        const name = input.value.trim();
        if (name.length === 0 || name.length > maxNameLength) {
          error.textContent = `Pick a name of 1 to ${maxNameLength} characters.`;
          input.focus();
          return;
        }
        button.disabled = true;
        error.textContent = '';
        api.signInAsGuest(name).then(onSignedIn, (failure: unknown) => {
          button.disabled = false;
          error.textContent = failure instanceof ApiError ? failure.message : 'Could not sign in.';
          input.focus();
        });
      },
    },
  },
  h('label', { class: 'field-label', attrs: { for: 'name' } }, 'Your name'),
  input,
  button,
  error);

  const view = h('main', { class: 'signin', testid: 'signin' },
    h('div', { class: 'signin-card' },
      h('div', { class: 'brand large' }, h('span', { class: 'brand-mark', attrs: { 'aria-hidden': 'true' } }, '●'), 'Chatroom'),
      h('p', { class: 'lead' }, 'Real-time rooms for talking things through. Pick a name and jump in: no account needed.'),
      form));
  queueMicrotask(() => input.focus());
  return view;
}
