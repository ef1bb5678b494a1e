import { ApiError } from '../api';
import { confirmButton, failureText } from '../account/forms';
import { h, replaceChildren } from '../lib/dom';
import type { AdminApi } from './adminApi';
import type { AdminPage } from './page';
import type { AdminUser } from './types';
import { ago, when } from './widgets';

const pageSize = 50;
export const accountRoles = ['user', 'moderator', 'admin'] as const;

/** How long a ban lasts, as the page offers it. */
export const banDurations = [
  { key: '1h', label: '1 hour', ms: 3_600_000 },
  { key: '1d', label: '1 day', ms: 86_400_000 },
  { key: '7d', label: '7 days', ms: 7 * 86_400_000 },
  { key: '30d', label: '30 days', ms: 30 * 86_400_000 },
  { key: 'permanent', label: 'Permanently', ms: null },
] as const;

/** The end of a ban chosen now (ISO), or null for a permanent one. */
export function banUntil(key: string, now = Date.now()): string | null {
  const duration = banDurations.find((d) => d.key === key);
  return duration?.ms ? new Date(now + duration.ms).toISOString() : null;
}

/** An account's state in a few words: banned (until when), disabled, or active. */
export function accountState(user: Pick<AdminUser, 'banned' | 'disabled'>, now = Date.now()): { key: 'banned' | 'disabled' | 'active'; text: string } {
  if (user.banned && Date.parse(user.banned.until) > now) {
    const until = Date.parse(user.banned.until);
    const permanent = new Date(until).getUTCFullYear() >= 9000;
    return { key: 'banned', text: permanent ? 'Banned permanently' : `Banned until ${new Date(until).toISOString().slice(0, 16).replace('T', ' ')} UTC` };
  }
  if (user.disabled) return { key: 'disabled', text: 'Disabled' };
  return { key: 'active', text: 'Active' };
}

/** Accounts: search, and for one account its roles, ban, disabling, second factors and sessions; every action asks first and is audited. */
export class UsersPage implements AdminPage {
  readonly element: HTMLElement;
  private readonly query: HTMLInputElement;
  private readonly body: HTMLTableSectionElement;
  private readonly status: HTMLElement;
  private readonly total: HTMLElement;
  private readonly panel: HTMLElement;
  private readonly more: HTMLButtonElement;
  private users: AdminUser[] = [];
  private selected: string | null = null;

  constructor(private readonly api: AdminApi) {
    this.query = h('input', { class: 'text-input', testid: 'users-search', attrs: { id: 'users-search', type: 'search', placeholder: 'Name or email', spellcheck: 'false' } });
    const search = h('form', {
      class: 'inline-controls users-search',
      attrs: { role: 'search' },
      on: { submit: (e) => { e.preventDefault(); void this.load(false); } },
    },
    h('label', { class: 'inline-label', attrs: { for: 'users-search' } }, 'Find accounts'),
    this.query,
    h('button', { class: 'primary-button', testid: 'users-search-submit', attrs: { type: 'submit' } }, 'Search'));
    this.body = h('tbody');
    this.status = h('p', { class: 'muted', testid: 'users-status', attrs: { role: 'status' } });
    this.total = h('span', { class: 'muted small', testid: 'users-total' });
    this.more = h('button', { class: 'ghost-button', testid: 'users-more', attrs: { type: 'button', hidden: true }, on: { click: () => void this.load(true) } }, 'Show more');
    this.panel = h('div', { class: 'user-panel', testid: 'user-panel', attrs: { hidden: true, tabindex: -1 } });
    this.element = h('div', { class: 'admin-page', testid: 'users' },
      h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, 'Users'), this.total),
      search,
      this.status,
      h('div', { class: 'table-wrap card' }, h('table', { class: 'table' },
        h('thead', null, h('tr', null, ...['User', 'Email', 'Roles', 'Second factors', 'State', 'Joined', 'Last sign-in', ''].map((t) => h('th', null, t)))),
        this.body)),
      this.more,
      this.panel);
  }

  show(): void {
    void this.load(false);
  }

  hide(): void {}

  private async load(more: boolean): Promise<void> {
    try {
      const page = await this.api.users(this.query.value.trim(), more ? this.users.length : 0, pageSize);
      this.users = more ? this.users.concat(page.users) : page.users;
      this.total.textContent = `${page.total} account${page.total === 1 ? '' : 's'}`;
      this.more.hidden = this.users.length >= page.total;
      this.status.textContent = this.users.length === 0 ? 'No accounts match.' : '';
      replaceChildren(this.body, ...this.users.map((u) => this.row(u)));
      const selected = this.users.find((u) => u.id === this.selected);
      if (selected) this.open(selected, false);
    } catch (error) {
      this.status.textContent = error instanceof ApiError && error.status === 404
        ? 'This server cannot list accounts yet.'
        : `Could not load the accounts: ${failureText(error, 'the server did not answer')}`;
    }
  }

  private row(user: AdminUser): HTMLElement {
    const state = accountState(user);
    const factors = [user.twoFactorEnabled ? 'authenticator' : null, user.passkeys > 0 ? `${user.passkeys} passkey${user.passkeys === 1 ? '' : 's'}` : null].filter(Boolean).join(', ');
    return h('tr', { testid: 'user-row', dataset: { userId: user.id, userName: user.userName, state: state.key } },
      h('td', null, h('strong', null, user.userName), h('div', { class: 'muted small' }, user.displayName)),
      h('td', null, user.email),
      h('td', null, ...user.roles.map((r) => h('span', { class: r === 'user' ? 'pill' : 'pill pill-warn' }, r))),
      h('td', { class: 'small' }, factors || 'none'),
      h('td', null, h('span', { class: state.key === 'active' ? 'pill pill-ok' : 'pill pill-danger', testid: 'user-state' }, state.text)),
      h('td', { class: 'nowrap' }, when(user.createdAt)),
      h('td', { class: 'nowrap' }, user.lastSignInAt ? when(user.lastSignInAt) : 'never'),
      h('td', null, h('button', {
        class: 'ghost-button', testid: 'user-manage', attrs: { type: 'button', 'aria-label': `Manage ${user.userName}` },
        on: { click: () => this.open(user, true) },
      }, 'Manage')));
  }

  /** The actions for one account, below the table. */
  private open(user: AdminUser, focus: boolean): void {
    this.selected = user.id;
    const result = h('p', { class: 'form-status', testid: 'user-result', attrs: { role: 'status', 'aria-live': 'polite' } });
    const reason = h('input', { class: 'text-input', testid: 'user-reason', attrs: { id: 'user-reason', maxlength: 500, placeholder: 'Why (goes to the audit log)' } });
    const after = async (text: string): Promise<string> => {
      await this.load(false);
      // load() rebuilt the panel; the sentence goes into the new one.
      const line = this.panel.querySelector<HTMLElement>('[data-testid=user-result]');
      if (line) line.textContent = text;
      return text;
    };
    const why = (): string => reason.value.trim();

    const roleBoxes = accountRoles.map((role) => {
      const box = h('input', { testid: `user-role-${role}`, attrs: { type: 'checkbox', id: `user-role-${role}`, value: role, checked: user.roles.includes(role) } });
      return { role, box, element: h('label', { class: 'check' }, box, ` ${role}`) };
    });
    const roles = h('div', { class: 'fieldset' },
      h('div', { class: 'field-label' }, 'Roles'),
      h('div', { class: 'checks' }, ...roleBoxes.map((r) => r.element)),
      confirmButton({
        label: 'Save roles', testid: 'user-roles-save', question: 'The account is signed out everywhere; its next sign-in carries the new roles.', confirmLabel: 'Save roles', status: result,
        run: async () => {
          const chosen = roleBoxes.filter((r) => r.box.checked).map((r) => r.role);
          const answer = await this.api.setRoles(user.id, chosen);
          return after(`Roles of ${user.userName}: ${answer.roles.join(', ')}.`);
        },
      }));

    const duration = h('select', { class: 'select', testid: 'user-ban-duration', attrs: { id: 'user-ban-duration' } },
      ...banDurations.map((d) => h('option', { attrs: { value: d.key, selected: d.key === '1d' } }, d.label)));
    const state = accountState(user);
    const ban = h('div', { class: 'fieldset' },
      h('div', { class: 'field-label' }, 'Ban'),
      state.key === 'banned'
        ? confirmButton({
          label: 'Lift the ban', testid: 'user-unban', question: `Lift ${user.userName}'s ban?`, confirmLabel: 'Lift the ban', status: result,
          run: async () => { await this.api.unban(user.id, why()); return after(`${user.userName} is no longer banned.`); },
        })
        : h('div', { class: 'inline-controls' },
          h('label', { class: 'inline-label', attrs: { for: 'user-ban-duration' } }, 'For'), duration,
          confirmButton({
            label: 'Ban', testid: 'user-ban', question: 'Their sessions end now and sign-in is refused until the ban ends.', confirmLabel: `Ban ${user.userName}`, danger: true, status: result,
            run: async () => {
              const answer = await this.api.ban(user.id, why(), banUntil(duration.value));
              const until = accountState({ banned: { until: answer.bannedUntil, reason: null }, disabled: false }).text;
              return after(`${user.userName}: ${until.charAt(0).toLowerCase()}${until.slice(1)}.`);
            },
          })));

    const disable = user.disabled
      ? confirmButton({
        label: 'Enable', testid: 'user-enable', question: `Let ${user.userName} sign in again?`, confirmLabel: 'Enable', status: result,
        run: async () => { await this.api.enable(user.id, why()); return after(`${user.userName} is enabled.`); },
      })
      : confirmButton({
        label: 'Disable', testid: 'user-disable', question: 'Their sessions end now and sign-in is refused until enabled.', confirmLabel: `Disable ${user.userName}`, danger: true, status: result,
        run: async () => { await this.api.disable(user.id, why()); return after(`${user.userName} is disabled.`); },
      });
    const resetFactors = confirmButton({
      label: 'Reset second factors', testid: 'user-reset-2fa', question: 'Removes the authenticator, recovery codes and passkeys.', confirmLabel: 'Reset them', danger: true, status: result,
      run: async () => { await this.api.resetSecondFactors(user.id, why()); return after(`${user.userName}'s second factors were reset.`); },
    });
    const signOut = confirmButton({
      label: 'Sign out everywhere', testid: 'user-sign-out', question: 'Every session of the account ends now.', confirmLabel: 'Sign them out', status: result,
      run: async () => { await this.api.signOutEverywhere(user.id, why()); return after(`${user.userName} was signed out everywhere.`); },
    });

    replaceChildren(this.panel,
      h('div', { class: 'card-head' },
        h('h2', { class: 'card-title', testid: 'user-panel-title' }, `${user.userName} (${user.displayName})`),
        h('span', { class: 'muted small' }, `last sign-in ${user.lastSignInAt ? ago(user.lastSignInAt) : 'never'}`),
        h('button', { class: 'ghost-button', attrs: { type: 'button' }, on: { click: () => this.close() } }, 'Close')),
      h('div', { class: 'field' }, h('label', { class: 'field-label', attrs: { for: 'user-reason' } }, 'Reason'), reason),
      roles,
      ban,
      h('div', { class: 'button-row' }, disable, resetFactors, signOut),
      result);
    this.panel.className = 'user-panel card';
    this.panel.hidden = false;
    if (focus) {
      this.panel.scrollIntoView({ block: 'nearest' });
      reason.focus();
    }
  }

  private close(): void {
    this.selected = null;
    this.panel.hidden = true;
  }
}
