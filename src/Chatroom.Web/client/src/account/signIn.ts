import type { ApiClient } from '../api';
import { secondFactorLabel, secondFactorOf } from '../admin/signIn';
import { h } from '../lib/dom';
import type { GuestMode, Session, TwoFactorChallenge } from '../types';
import type { AccountApi } from './accountApi';
import { busy, field, failureText, FormErrors, formError } from './forms';
import type { AcceptedAnswer, SignInAnswer } from './types';
import { emailError, maxPasswordLength, minPasswordLength, validateSignUp } from './validation';
import { getPasskey, passkeyFailure, passkeysSupported } from './webauthn';

const maxGuestNameLength = 32;

/** The steps of the sign-in screen. */
export type SignInStep =
  | { kind: 'sign-in' }
  | { kind: 'second-factor'; challenge: TwoFactorChallenge }
  | { kind: 'sign-up' }
  | { kind: 'check-email'; text: string }
  | { kind: 'forgot' }
  | { kind: 'forgot-sent'; text: string };

/** A sign-in answer: tokens, or a challenge for the second factor. */
export function isChallenge(answer: SignInAnswer): answer is TwoFactorChallenge {
  return 'twoFactorRequired' in answer && answer.twoFactorRequired === true;
}

/** Where a sign-in answer leads: into the chat with the session, or to the second-factor step. */
export function stepAfterSignIn(answer: SignInAnswer): { session: Session } | SignInStep {
  return isChallenge(answer) ? { kind: 'second-factor', challenge: answer } : { session: answer };
}

/**
 * After sign-up: where the confirmation email went. The outbox folder is named only when the server says email is
 * written there; otherwise the email was sent (or, for a taken address, its owner was told) and it says so.
 */
export function checkEmailText(answer: AcceptedAnswer, email: string): string {
  if (answer.outbox) {
    return `This server writes email to a folder instead of sending it: the confirmation for ${email} is a .eml file in ${answer.outbox}. Open it and follow the link.`;
  }
  return `Check your email: we sent a link to ${email}. Follow it to confirm the address, then sign in.`;
}

/** `on`, `read-only` or `off` from /config.json; a server that does not say is taken as `on` (the guest route decides). */
export function guestMode(value: unknown): GuestMode {
  return value === 'off' || value === 'read-only' ? value : 'on';
}

export interface SignInScreenOptions {
  api: ApiClient;
  accounts: AccountApi;
  guests: GuestMode;
  notice: string | null;
  onSignedIn(session: Session): void;
  /** Open on sign-up instead of sign-in. */
  start?: 'sign-in' | 'sign-up';
}

/** The first screen: sign in with an account (password, second factor, passkey), create one, reset a password, or chat as a guest. */
export function signInView(options: SignInScreenOptions): HTMLElement {
  const card = h('div', { class: 'signin-card' });
  const brand = h('div', { class: 'brand large' }, h('span', { class: 'brand-mark', attrs: { 'aria-hidden': 'true' } }, '●'), 'Chatroom');
  let notice = options.notice;

  const show = (step: SignInStep): void => {
    const views: Record<SignInStep['kind'], () => HTMLElement[]> = {
      'sign-in': () => signInStep(options, notice, show),
      'second-factor': () => secondFactorStep(options, (step as { challenge: TwoFactorChallenge }).challenge, show),
      'sign-up': () => signUpStep(options, show),
      'check-email': () => doneStep('Almost there', (step as { text: string }).text, show, 'check-email'),
      forgot: () => forgotStep(options, show),
      'forgot-sent': () => doneStep('Reset link', (step as { text: string }).text, show, 'forgot-sent'),
    };
    const elements = views[step.kind]();
    // The notice (why the last session ended) belongs to the first screen only.
    notice = null;
    card.replaceChildren(brand, ...elements);
    card.dataset.step = step.kind;
  };
  show({ kind: options.start ?? 'sign-in' });
  return h('main', { class: 'signin', testid: 'signin' }, card);
}

function signInStep(options: SignInScreenOptions, notice: string | null, show: (step: SignInStep) => void): HTMLElement[] {
  const login = field('login', 'login-name', 'User name or email', { autocomplete: 'username', required: true });
  const password = field('password', 'login-password', 'Password', { type: 'password', autocomplete: 'current-password', required: true, maxlength: maxPasswordLength });
  const general = formError('login-error', notice ?? '');
  const errors = new FormErrors([login, password], general);
  const submit = h('button', { class: 'primary-button', testid: 'login-submit', attrs: { type: 'submit' } }, 'Sign in');
  const enter = (answer: SignInAnswer): void => {
    const next = stepAfterSignIn(answer);
    if ('session' in next) options.onSignedIn(next.session);
    else show(next);
  };

  const form = h('form', {
    class: 'signin-form',
    testid: 'login-form',
    attrs: { 'aria-label': 'Sign in' },
    on: {
      submit: (e) => {
        e.preventDefault();
        const missing: Record<string, string> = {};
        if (!login.input.value.trim()) missing.login = 'Enter your user name or email.';
        if (!password.input.value) missing.password = 'Enter your password.';
        if (!errors.check(missing)) return;
        void busy(submit, () => options.accounts.signIn(login.input.value.trim(), password.input.value))
          .then(enter, (failure: unknown) => errors.fail(failure, 'Could not sign in.'));
      },
    },
  }, general, login.element, password.element, submit);

  const passkeyError = formError('passkey-error');
  const passkey = h('button', { class: 'secondary-button', testid: 'passkey-sign-in', attrs: { type: 'button' } }, 'Sign in with a passkey');
  passkey.addEventListener('click', () => {
    passkeyError.textContent = '';
    void busy(passkey, async () => {
      const ceremony = await options.accounts.passkeySignInOptions();
      let credential: unknown;
      try {
        credential = await getPasskey(ceremony.options);
      } catch (error) {
        throw new Error(passkeyFailure(error));
      }
      return options.accounts.passkeySignIn(credential, ceremony.state);
    }).then(enter, (failure: unknown) => {
      passkeyError.textContent = failureText(failure, 'Could not sign in with a passkey.');
    });
  });

  const links = h('p', { class: 'signin-links' },
    h('button', { class: 'link-button', testid: 'show-sign-up', attrs: { type: 'button' }, on: { click: () => show({ kind: 'sign-up' }) } }, 'Create an account'),
    h('button', { class: 'link-button', testid: 'show-forgot', attrs: { type: 'button' }, on: { click: () => show({ kind: 'forgot' }) } }, 'Forgot password?'));

  queueMicrotask(() => login.input.focus());
  return [
    h('p', { class: 'lead' }, 'Real-time rooms for talking things through.'),
    h('h1', { class: 'signin-title' }, 'Sign in'),
    form,
    passkeysSupported() ? h('div', { class: 'signin-alt' }, passkey, passkeyError) : null,
    links,
    options.guests === 'off' ? null : guestSection(options),
  ].filter((e): e is HTMLElement => e !== null);
}

/** A name, then a guest session: no account needed (when the server allows it). */
function guestSection(options: SignInScreenOptions): HTMLElement {
  const input = h('input', {
    class: 'text-input',
    testid: 'name-input',
    attrs: { id: 'name', name: 'name', maxlength: maxGuestNameLength, autocomplete: 'nickname', required: true, placeholder: 'e.g. Ana', spellcheck: 'false', 'aria-describedby': 'guest-note' },
  });
  const error = formError('signin-error');
  const button = h('button', { class: 'secondary-button', testid: 'sign-in-button', attrs: { type: 'submit' } }, 'Chat as a guest');
  const readOnly = options.guests === 'read-only';
  const section = h('section', { class: 'guest-section', testid: 'guest-section', attrs: { 'aria-labelledby': 'guest-title' } });
  const form = h('form', {
    class: 'signin-form',
    testid: 'signin-form',
    on: {
      submit: (e) => {
        e.preventDefault();
        const name = input.value.trim();
        if (name.length === 0 || name.length > maxGuestNameLength) {
          error.textContent = `Pick a name of 1 to ${maxGuestNameLength} characters.`;
          input.focus();
          return;
        }
        error.textContent = '';
        void busy(button, () => options.api.signInAsGuest(name)).then(options.onSignedIn, (failure: unknown) => {
          error.textContent = failureText(failure, 'Could not sign in.');
          input.focus();
        });
      },
    },
  },
  h('label', { class: 'field-label', attrs: { for: 'name' } }, 'Your name'),
  input, button, error);
  section.append(
    h('h2', { class: 'signin-subtitle', attrs: { id: 'guest-title' } }, 'Or chat as a guest'),
    h('p', { class: 'muted small', testid: 'guest-note', attrs: { id: 'guest-note' } }, readOnly
      ? 'Guests can read the rooms but not post here. Create an account to take part.'
      : 'Pick a name and jump in: no account needed.'),
    form);
  return section;
}

function secondFactorStep(options: SignInScreenOptions, challenge: TwoFactorChallenge, show: (step: SignInStep) => void): HTMLElement[] {
  const totpOnly = !challenge.methods.includes('recovery_code');
  const code = field('code', 'login-2fa-code', secondFactorLabel(challenge.methods), {
    autocomplete: 'one-time-code', required: true, ...(totpOnly ? { inputmode: 'numeric', maxlength: 7 } : {}),
  });
  const general = formError('login-2fa-error');
  const errors = new FormErrors([code], general);
  const submit = h('button', { class: 'primary-button', testid: 'login-2fa-submit', attrs: { type: 'submit' } }, 'Verify');
  const form = h('form', {
    class: 'signin-form',
    testid: 'login-2fa',
    attrs: { 'aria-label': 'Second factor' },
    on: {
      submit: (e) => {
        e.preventDefault();
        const factor = secondFactorOf(code.input.value, challenge.methods);
        if (!errors.check(factor ? {} : { code: totpOnly ? 'Enter the 6-digit code from your authenticator app.' : 'Enter a code.' }) || !factor) return;
        void busy(submit, () => options.accounts.signInSecondFactor(challenge.ticket, factor))
          .then(options.onSignedIn, (failure: unknown) => errors.fail(failure, 'Could not sign in.'));
      },
    },
  }, general, code.element, submit,
  h('button', { class: 'ghost-button', testid: 'login-2fa-restart', attrs: { type: 'button' }, on: { click: () => show({ kind: 'sign-in' }) } }, 'Start over'));
  queueMicrotask(() => code.input.focus());
  return [h('h1', { class: 'signin-title' }, 'Two-factor sign-in'), h('p', { class: 'muted' }, 'This account has a second factor.'), form];
}

function signUpStep(options: SignInScreenOptions, show: (step: SignInStep) => void): HTMLElement[] {
  const userName = field('userName', 'signup-username', 'User name', { autocomplete: 'username', required: true, maxlength: 32 }, '3 to 32 letters, digits, "_", "-" or "."; it cannot be changed later.');
  const displayName = field('displayName', 'signup-display-name', 'Display name', { autocomplete: 'nickname', maxlength: 32 }, 'What others see; your user name when left empty.');
  const email = field('email', 'signup-email', 'Email', { type: 'email', autocomplete: 'email', required: true });
  const password = field('password', 'signup-password', 'Password', { type: 'password', autocomplete: 'new-password', required: true, maxlength: maxPasswordLength }, `At least ${minPasswordLength} characters.`);
  const dateOfBirth = field('dateOfBirth', 'signup-date-of-birth', 'Date of birth', { type: 'date', autocomplete: 'bday', required: true });
  const fields = [userName, displayName, email, password, dateOfBirth];
  const general = formError('signup-error');
  const errors = new FormErrors(fields, general);
  const submit = h('button', { class: 'primary-button', testid: 'signup-submit', attrs: { type: 'submit' } }, 'Create account');
  const form = h('form', {
    class: 'signin-form',
    testid: 'signup-form',
    attrs: { 'aria-label': 'Create an account', novalidate: true },
    on: {
      submit: (e) => {
        e.preventDefault();
        const values = {
          userName: userName.input.value.trim(),
          displayName: displayName.input.value.trim(),
          email: email.input.value.trim(),
          password: password.input.value,
          dateOfBirth: dateOfBirth.input.value,
        };
        if (!errors.check(validateSignUp(values))) return;
        void busy(submit, () => options.accounts.register({ ...values, displayName: values.displayName || values.userName }))
          .then((answer) => show({ kind: 'check-email', text: checkEmailText(answer, values.email) }),
            (failure: unknown) => errors.fail(failure, 'Could not create the account.'));
      },
    },
  }, general, ...fields.map((f) => f.element), submit,
  h('button', { class: 'ghost-button', testid: 'back-to-sign-in', attrs: { type: 'button' }, on: { click: () => show({ kind: 'sign-in' }) } }, 'I have an account'));
  queueMicrotask(() => userName.input.focus());
  return [h('h1', { class: 'signin-title' }, 'Create an account'), form];
}

function forgotStep(options: SignInScreenOptions, show: (step: SignInStep) => void): HTMLElement[] {
  const email = field('email', 'forgot-email', 'Email of your account', { type: 'email', autocomplete: 'email', required: true });
  const general = formError('forgot-error');
  const errors = new FormErrors([email], general);
  const submit = h('button', { class: 'primary-button', testid: 'forgot-submit', attrs: { type: 'submit' } }, 'Send a reset link');
  const form = h('form', {
    class: 'signin-form',
    attrs: { 'aria-label': 'Forgot password', novalidate: true },
    on: {
      submit: (e) => {
        e.preventDefault();
        const problem = emailError(email.input.value);
        if (!errors.check(problem ? { email: problem } : {})) return;
        void busy(submit, () => options.accounts.forgotPassword(email.input.value.trim()))
          .then((answer) => show({ kind: 'forgot-sent', text: sentence(answer.message) }), (failure: unknown) => errors.fail(failure, 'Could not ask for a reset link.'));
      },
    },
  }, general, email.element, submit,
  h('button', { class: 'ghost-button', attrs: { type: 'button' }, on: { click: () => show({ kind: 'sign-in' }) } }, 'Back to sign-in'));
  queueMicrotask(() => email.input.focus());
  return [h('h1', { class: 'signin-title' }, 'Forgot password'), form];
}

function doneStep(title: string, text: string, show: (step: SignInStep) => void, testid: string): HTMLElement[] {
  const back = h('button', { class: 'primary-button', testid: `${testid}-back`, attrs: { type: 'button' }, on: { click: () => show({ kind: 'sign-in' }) } }, 'Back to sign-in');
  queueMicrotask(() => back.focus());
  return [h('h1', { class: 'signin-title' }, title), h('p', { testid, attrs: { role: 'status' } }, text), back];
}

/** "check your email" → "Check your email." */
export function sentence(text: string): string {
  const trimmed = text.trim().replace(/[.\s]+$/, '');
  return trimmed ? `${trimmed.charAt(0).toUpperCase()}${trimmed.slice(1)}.` : '';
}
