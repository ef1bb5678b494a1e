import { ApiError } from '../api';
import { ago, when } from '../admin/widgets';
import { h, replaceChildren } from '../lib/dom';
import type { Session } from '../types';
import type { AccountApi } from './accountApi';
import { busy, confirmButton, downloadFile, failureText, field, type Field, FormErrors, formError, singleFieldForm } from './forms';
import { qrSvg } from './qr';
import type { AccountProfile, AccountSession, AuthenticatorEnrollment, Passkey } from './types';
import { displayNameError, passwordError } from './validation';
import { createPasskey, passkeyFailure, passkeysSupported } from './webauthn';
import type { GuardianApi } from './guardian/guardianApi';
import { guardianSection } from './guardian/waitingSection';

/** The guardian routes and how to renew the session once a guardian approved (the new token may send). */
export interface GuardianHooks {
  api: GuardianApi;
  renew(): Promise<void>;
}

/** What happens to a deleted account's messages (docs/accounts.md, "Deleting an account"). */
export const deletionNotice =
  'Deleting the account removes it at once with its sessions, second factors and passkeys; it cannot be undone. ' +
  'Messages you wrote stay in their rooms under the display name you had.';

/** Where an account session ends from this page, and what the sign-in screen then says. */
export type SignedOut = (notice: string | null) => void;

function section(testid: string, title: string, ...body: (HTMLElement | null)[]): HTMLElement {
  return h('section', { class: 'card account-section', testid, attrs: { 'aria-labelledby': `${testid}-title` } },
    h('div', { class: 'card-head' }, h('h2', { class: 'card-title', attrs: { id: `${testid}-title` } }, title)),
    ...body);
}

function statusLine(testid: string): HTMLElement {
  return h('p', { class: 'form-status', testid, attrs: { role: 'status', 'aria-live': 'polite' } });
}

/**
 * The action of a confirmation that the password field authorises: an empty field is named before asking the
 * server, and the server's refusal (a wrong password) shows by the field rather than in the section's status.
 */
function withPassword(
  password: Field, errors: FormErrors, missing: string, failed: string, action: (password: string) => Promise<string | null>,
): () => Promise<string | null> {
  return async () => {
    if (!errors.check(password.input.value ? {} : { password: missing })) return null;
    try {
      return await action(password.input.value);
    } catch (failure) {
      errors.fail(failure, failed);
      return null;
    }
  };
}

/** A short name for a browser from its user agent, for the sessions list. */
export function deviceName(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const browser = /Edg\//.test(userAgent) ? 'Edge' : /Firefox\//.test(userAgent) ? 'Firefox' : /Chrom(e|ium)\//.test(userAgent) ? 'Chrome'
    : /Safari\//.test(userAgent) ? 'Safari' : null;
  const system = /Android/.test(userAgent) ? 'Android' : /iPhone|iPad/.test(userAgent) ? 'iOS' : /Windows/.test(userAgent) ? 'Windows'
    : /Mac OS X/.test(userAgent) ? 'macOS' : /Linux/.test(userAgent) ? 'Linux' : null;
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? userAgent.slice(0, 40);
}

/** `JBSWY3DPEHPK3PXP` → `jbsw y3dp ehpk 3pxp`: easier to type into an app by hand. */
export function formatSharedKey(key: string): string {
  return key.replace(/\s+/g, '').toLowerCase().replace(/(.{4})(?=.)/g, '$1 ');
}

/** The account page (/account): profile, password, two-factor, passkeys, sessions, data, deletion. */
export class AccountPage {
  readonly element: HTMLElement;
  private readonly main: HTMLElement;
  private profile: AccountProfile | null = null;

  constructor(
    private readonly accounts: AccountApi, private readonly session: Session, private readonly onSignedOut: SignedOut,
    private readonly guardian: GuardianHooks | null = null,
  ) {
    this.main = h('main', { class: 'account-main', testid: 'account-page', attrs: { id: 'account-main', tabindex: -1 } },
      h('h1', { class: 'page-title' }, 'Your account'),
      h('p', { class: 'muted', testid: 'account-loading', attrs: { role: 'status' } }, 'Loading…'));
    const topbar = h('header', { class: 'topbar' },
      h('div', { class: 'brand' }, h('span', { class: 'brand-mark', attrs: { 'aria-hidden': 'true' } }, '●'), 'Chatroom ', h('span', { class: 'muted' }, 'account')),
      h('a', { class: 'ghost-button', testid: 'back-to-chat', attrs: { href: '/' } }, 'Back to chat'),
      h('button', { class: 'ghost-button', testid: 'account-sign-out', attrs: { type: 'button' }, on: { click: () => this.onSignedOut(null) } }, 'Sign out'));
    this.element = h('div', { class: 'app account' }, topbar, this.main);
  }

  async start(): Promise<void> {
    document.title = 'Your account · Chatroom';
    try {
      this.profile = await this.accounts.profile();
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 401) return; // the session ended: the keeper reports it
      replaceChildren(this.main, h('h1', { class: 'page-title' }, 'Your account'), formError('account-error', failureText(failure, 'Could not load the account.')));
      return;
    }
    replaceChildren(this.main,
      h('h1', { class: 'page-title' }, 'Your account'),
      this.profileSection(this.profile),
      this.guardian ? guardianSection(this.guardian.api, this.profile, this.guardian.renew, section) : null,
      this.passwordSection(),
      this.twoFactorSection(),
      this.passkeysSection(),
      this.sessionsSection(),
      this.dataSection(),
      this.deleteSection());
  }

  // ----- profile -----

  private profileSection(profile: AccountProfile): HTMLElement {
    const name = field('displayName', 'profile-display-name', 'Display name', { autocomplete: 'nickname', maxlength: 32, value: profile.displayName });
    const status = statusLine('profile-status');
    const form = singleFieldForm({
      field: name, errorTestid: 'profile-error', submitLabel: 'Save', submitTestid: 'profile-save', failure: 'Could not save.',
      check: (value) => displayNameError(value) ?? (value.trim() ? null : 'Enter a display name.'),
      send: (value) => {
        status.textContent = '';
        return this.accounts.updateProfile(value.trim());
      },
      done: (updated) => {
        this.profile = updated;
        status.textContent = 'Saved. Others see the new name from your next sign-in.';
      },
    });
    const facts = h('dl', { class: 'facts' },
      h('dt', null, 'User name'), h('dd', { testid: 'profile-user-name' }, profile.userName),
      h('dt', null, 'Email'), h('dd', { testid: 'profile-email' }, profile.email, profile.emailConfirmed ? '' : ' (not confirmed)'),
      h('dt', null, 'Member since'), h('dd', null, when(profile.createdAt)));
    queueMicrotask(() => name.input.focus());
    return section('profile', 'Profile', facts, form, status);
  }

  // ----- password -----

  private passwordSection(): HTMLElement {
    const current = field('currentPassword', 'password-current', 'Current password', { type: 'password', autocomplete: 'current-password', required: true });
    const next = field('newPassword', 'password-new', 'New password', { type: 'password', autocomplete: 'new-password', required: true }, 'At least 10 characters. Every session, this one too, is signed out.');
    const general = formError('password-error');
    const errors = new FormErrors([current, next], general);
    const save = h('button', { class: 'primary-button', testid: 'password-save', attrs: { type: 'submit' } }, 'Change password');
    const form = h('form', {
      class: 'account-form',
      attrs: { novalidate: true },
      on: {
        submit: (e) => {
          e.preventDefault();
          const problems: Record<string, string> = {};
          if (!current.input.value) problems.currentPassword = 'Enter your current password.';
          const weak = passwordError(next.input.value);
          if (weak) problems.newPassword = weak;
          if (!errors.check(problems)) return;
          void busy(save, () => this.accounts.changePassword(current.input.value, next.input.value)).then(
            () => this.onSignedOut('Your password was changed and every session signed out. Sign in with the new password.'),
            (failure: unknown) => errors.fail(failure, 'Could not change the password.'));
        },
      },
    }, general, current.element, next.element, save);
    return section('password', 'Password', form);
  }

  // ----- two-factor -----

  private twoFactorSection(): HTMLElement {
    const body = h('div', { class: 'two-factor-body' });
    const status = statusLine('two-factor-status');
    const render = async (): Promise<void> => {
      try {
        const state = await this.accounts.twoFactor();
        if (!state.enabled) {
          const start = h('button', { class: 'primary-button', testid: 'totp-start', attrs: { type: 'button' } }, 'Set up an authenticator app');
          start.addEventListener('click', () => {
            status.textContent = '';
            void busy(start, () => this.accounts.enrollAuthenticator()).then(
              (enrollment) => replaceChildren(body, this.enrolment(enrollment, status, (codes) => replaceChildren(body, this.recoveryCodes(codes, () => void render())))),
              (failure: unknown) => { status.textContent = failureText(failure, 'Could not start the set-up.'); });
          });
          replaceChildren(body,
            h('p', { testid: 'two-factor-state', dataset: { enabled: 'false' } }, 'Two-factor sign-in is off. With it on, signing in also takes a 6-digit code from an authenticator app.'),
            start);
          return;
        }
        const password = field('password', 'totp-disable-password', 'Password (to turn it off)', { type: 'password', autocomplete: 'current-password' });
        const disableGeneral = formError('totp-disable-error');
        const disableErrors = new FormErrors([password], disableGeneral);
        const regenerate = confirmButton({
          label: 'New recovery codes', testid: 'recovery-regenerate', question: 'The old codes stop working.', confirmLabel: 'Make new codes', status,
          run: async () => {
            const codes = await this.accounts.newRecoveryCodes();
            replaceChildren(body, this.recoveryCodes(codes.codes, () => void render()));
            return null;
          },
        });
        const disable = confirmButton({
          label: 'Turn off', testid: 'totp-disable', question: 'Sign-in will take only the password (or a passkey).', confirmLabel: 'Turn two-factor off', danger: true, status,
          run: withPassword(password, disableErrors, 'Enter your password to turn two-factor sign-in off.', 'Could not turn it off.', async (value) => {
            await this.accounts.disableTwoFactor(value);
            void render();
            return 'Two-factor sign-in is off.';
          }),
        });
        replaceChildren(body,
          h('p', { testid: 'two-factor-state', dataset: { enabled: 'true' } },
            `Two-factor sign-in is on. ${state.recoveryCodesLeft} recovery code${state.recoveryCodesLeft === 1 ? '' : 's'} left.`),
          h('div', { class: 'button-row' }, regenerate),
          disableGeneral,
          password.element,
          h('div', { class: 'button-row' }, disable));
      } catch (failure) {
        status.textContent = failureText(failure, 'Could not load the two-factor settings.');
      }
    };
    void render();
    return section('two-factor', 'Two-factor sign-in', body, status);
  }

  /** The QR code and the key as text, and the first code to prove the app has it. */
  private enrolment(enrollment: AuthenticatorEnrollment, status: HTMLElement, onEnabled: (codes: string[]) => void): HTMLElement {
    const code = field('code', 'totp-code', 'Code from the app', { autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 7, required: true });
    const digits = (value: string): string => value.replace(/\s+/g, '');
    const form = singleFieldForm({
      field: code, errorTestid: 'totp-error', submitLabel: 'Turn on', submitTestid: 'totp-verify', failure: 'Could not turn it on.',
      check: (value) => (/^\d{6}$/.test(digits(value)) ? null : 'Enter the 6-digit code the app shows.'),
      send: (value) => this.accounts.verifyAuthenticator(digits(value)),
      done: (codes) => {
        status.textContent = 'Two-factor sign-in is on.';
        onEnabled(codes.codes);
      },
    });
    queueMicrotask(() => code.input.focus());
    return h('div', { class: 'enrolment', testid: 'totp-enrolment' },
      h('p', null, 'Scan this code with your authenticator app, or type the key into it. Then enter the 6-digit code it shows.'),
      h('div', { class: 'qr-box', testid: 'totp-qr' }, qrSvg(enrollment.authenticatorUri, 'QR code for your authenticator app')),
      h('p', null, 'Key: ', h('code', { class: 'shared-key', testid: 'totp-key', dataset: { key: enrollment.sharedKey } }, formatSharedKey(enrollment.sharedKey))),
      form);
  }

  /** Recovery codes, shown once: copy or download them before leaving. */
  private recoveryCodes(codes: string[], onDone: () => void): HTMLElement {
    const copied = statusLine('recovery-copied');
    const text = `Chatroom recovery codes for ${this.profile?.userName ?? this.session.user.name}\nEach works once, in place of an authenticator code.\n\n${codes.join('\n')}\n`;
    const done = h('button', { class: 'primary-button', testid: 'recovery-done', attrs: { type: 'button' }, on: { click: onDone } }, 'I have saved them');
    queueMicrotask(() => done.focus());
    return h('div', { class: 'recovery', testid: 'recovery-codes' },
      h('p', null, h('strong', null, 'Save these recovery codes now: they are shown only once. '), 'Each one signs you in once if you lose the authenticator.'),
      h('ul', { class: 'code-list' }, ...codes.map((c) => h('li', { testid: 'recovery-code' }, h('code', null, c)))),
      h('div', { class: 'button-row' },
        h('button', {
          class: 'secondary-button', testid: 'recovery-copy', attrs: { type: 'button' },
          on: {
            click: () => void navigator.clipboard.writeText(codes.join('\n')).then(
              () => { copied.textContent = 'Copied.'; },
              () => { copied.textContent = 'The browser did not allow copying; download them instead.'; }),
          },
        }, 'Copy'),
        h('button', { class: 'secondary-button', testid: 'recovery-download', attrs: { type: 'button' }, on: { click: () => downloadFile('chatroom-recovery-codes.txt', 'text/plain', text) } }, 'Download'),
        done),
      copied);
  }

  // ----- passkeys -----

  private passkeysSection(): HTMLElement {
    const list = h('ul', { class: 'item-list', testid: 'passkey-list' });
    const status = statusLine('passkey-status');
    const name = field('name', 'passkey-name', 'Name of the new passkey', { maxlength: 64, value: `Passkey on ${deviceName(navigator.userAgent)}` });
    const add = h('button', { class: 'primary-button', testid: 'passkey-add', attrs: { type: 'submit' } }, 'Add a passkey');
    const form = h('form', {
      class: 'account-form',
      on: {
        submit: (e) => {
          e.preventDefault();
          status.textContent = '';
          void busy(add, async () => {
            const ceremony = await this.accounts.passkeyCreationOptions();
            let credential: unknown;
            try {
              credential = await createPasskey(ceremony.options);
            } catch (error) {
              throw new Error(passkeyFailure(error));
            }
            return this.accounts.addPasskey(credential, ceremony.state, name.input.value.trim() || 'Passkey');
          }).then(() => {
            status.textContent = 'Passkey added. You can sign in with it without a password.';
            void load();
          }, (failure: unknown) => { status.textContent = failureText(failure, 'Could not add the passkey.'); });
        },
      },
    }, name.element, add);
    if (!passkeysSupported()) form.hidden = true;

    const row = (passkey: Passkey): HTMLElement => {
      const label = h('span', { class: 'item-name', testid: 'passkey-label' }, passkey.name ?? 'Passkey');
      const rename = h('button', { class: 'ghost-button', testid: 'passkey-rename', attrs: { type: 'button' } }, 'Rename');
      const item = h('li', { class: 'item', testid: 'passkey', dataset: { passkeyId: passkey.id } });
      rename.addEventListener('click', () => {
        const input = h('input', { class: 'text-input narrow', testid: 'passkey-rename-input', attrs: { 'aria-label': 'New name', maxlength: 64, value: passkey.name ?? '' } });
        const save = h('button', { class: 'primary-button', testid: 'passkey-rename-save', attrs: { type: 'submit' } }, 'Save');
        const renameForm = h('form', {
          class: 'inline-controls',
          on: {
            submit: (e) => {
              e.preventDefault();
              void busy(save, () => this.accounts.renamePasskey(passkey.id, input.value.trim())).then(() => {
                status.textContent = 'Renamed.';
                void load();
              }, (failure: unknown) => { status.textContent = failureText(failure, 'Could not rename it.'); });
            },
          },
        }, input, save);
        label.replaceWith(renameForm);
        rename.hidden = true;
        input.focus();
      });
      item.append(label,
        h('span', { class: 'muted small' }, `added ${ago(passkey.createdAt)}`, passkey.lastUsedAt ? `, last used ${ago(passkey.lastUsedAt)}` : ', never used'),
        h('span', { class: 'item-tools' }, rename, confirmButton({
          label: 'Remove', testid: 'passkey-remove', question: 'It will no longer sign you in.', confirmLabel: 'Remove passkey', danger: true, status,
          run: async () => {
            await this.accounts.removePasskey(passkey.id);
            void load();
            return 'Passkey removed.';
          },
        })));
      return item;
    };

    const load = async (): Promise<void> => {
      try {
        const passkeys = await this.accounts.passkeys();
        replaceChildren(list, ...passkeys.map(row));
        if (passkeys.length === 0) list.append(h('li', { class: 'muted' }, 'No passkeys yet.'));
      } catch (failure) {
        if (failure instanceof ApiError && failure.status === 404) {
          form.hidden = true;
          status.textContent = 'This server does not offer passkeys yet.';
        } else status.textContent = failureText(failure, 'Could not load the passkeys.');
      }
    };
    void load();
    return section('passkeys', 'Passkeys', h('p', { class: 'muted' }, 'A passkey signs you in with this device’s screen lock or a security key, without a password.'), list, form, status);
  }

  // ----- sessions -----

  private sessionsSection(): HTMLElement {
    const list = h('ul', { class: 'item-list', testid: 'session-list' });
    const status = statusLine('session-status');
    const load = async (): Promise<void> => {
      try {
        const sessions = await this.accounts.sessions();
        replaceChildren(list, ...sessions.map((s) => this.sessionRow(s, status, load)));
      } catch (failure) {
        status.textContent = failureText(failure, 'Could not load the sessions.');
      }
    };
    void load();
    const everywhere = confirmButton({
      label: 'Sign out everywhere', testid: 'sign-out-everywhere', question: 'Every device, this one too, is signed out.', confirmLabel: 'Sign out everywhere', danger: true, status,
      run: async () => {
        await this.accounts.signOut(true);
        this.onSignedOut('You signed out of every session.');
        return null;
      },
    });
    return section('sessions', 'Where you are signed in', list, h('div', { class: 'button-row' }, everywhere), status);
  }

  private sessionRow(s: AccountSession, status: HTMLElement, reload: () => Promise<void>): HTMLElement {
    return h('li', { class: 'item', testid: 'session', dataset: { sessionId: s.id, current: String(s.current) } },
      h('span', { class: 'item-name' }, deviceName(s.userAgent), s.current ? h('span', { class: 'pill pill-ok', testid: 'this-device' }, 'This device') : null),
      h('span', { class: 'muted small' }, `${s.address ?? 'unknown address'}, signed in ${ago(s.startedAt)}, active ${ago(s.lastRefreshedAt)}`),
      s.current ? null : h('span', { class: 'item-tools' }, confirmButton({
        label: 'Sign out', testid: 'session-revoke', question: 'That device is signed out.', confirmLabel: 'Sign it out', status,
        run: async () => {
          await this.accounts.revokeSession(s.id);
          await reload();
          return 'Signed out that session.';
        },
      })));
  }

  // ----- data and deletion -----

  private dataSection(): HTMLElement {
    const status = statusLine('export-status');
    const button = h('button', { class: 'secondary-button', testid: 'export-data', attrs: { type: 'button' } }, 'Download my data');
    button.addEventListener('click', () => {
      status.textContent = '';
      void busy(button, () => this.accounts.exportData()).then((data) => {
        downloadFile(`chatroom-account-${this.profile?.userName ?? 'data'}.json`, 'application/json', JSON.stringify(data, null, 2));
        status.textContent = 'Your data was downloaded as JSON.';
      }, (failure: unknown) => {
        status.textContent = failure instanceof ApiError && failure.status === 404
          ? 'This server cannot export account data yet.'
          : failureText(failure, 'Could not export your data.');
      });
    });
    return section('data', 'Your data', h('p', { class: 'muted' }, 'Everything the server keeps about your account, as one JSON file.'), h('div', { class: 'button-row' }, button), status);
  }

  private deleteSection(): HTMLElement {
    const password = field('password', 'delete-password', 'Password', { type: 'password', autocomplete: 'current-password' });
    const status = statusLine('delete-status');
    const general = formError('delete-error');
    const errors = new FormErrors([password], general);
    const remove = confirmButton({
      label: 'Delete my account', testid: 'delete-account', question: 'This cannot be undone.', confirmLabel: 'Delete it now', danger: true, status,
      run: withPassword(password, errors, 'Enter your password to delete the account.', 'Could not delete the account.', async (value) => {
        await this.accounts.deleteAccount(value);
        this.onSignedOut('Your account was deleted. Messages you wrote stay in their rooms under the name you had.');
        return null;
      }),
    });
    return section('delete', 'Delete the account', h('p', { testid: 'deletion-notice' }, deletionNotice), general, password.element, h('div', { class: 'button-row' }, remove), status);
  }
}
