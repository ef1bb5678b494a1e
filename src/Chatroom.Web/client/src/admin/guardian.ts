import { ApiError } from '../api';
import { h, replaceChildren } from '../lib/dom';
import type { GuardianAccountView, GuardianAction, GuardianApi, GuardianCase, GuardianCaseState, GuardianCaseSummary } from './guardianApi';
import { GuardianSettingsPanel } from './guardianSettings';
import { Poller, type AdminPage } from './page';
import { requireReason, when } from './widgets';

const refreshMs = 15_000;
const states: readonly (GuardianCaseState | 'all')[] = ['open', 'dismissed', 'restricted', 'banned', 'guardian_notified', 'all'];
const stateLabels: Readonly<Record<string, string>> = {
  open: 'Open', dismissed: 'Dismissed', restricted: 'Contact restricted', banned: 'Account banned', guardian_notified: 'Guardian notified', all: 'All',
};
const actions: readonly [GuardianAction, string, string][] = [
  ['dismiss', 'Dismiss', 'secondary-button'],
  ['restrict', 'Restrict contact with minors', 'primary-button'],
  ['notify-guardian', 'Notify guardian', 'primary-button'],
  ['ban', 'Ban account', 'danger-button'],
];

const percent = (score: number): string => `${Math.round(score * 100)}%`;
const signalName = (name: string): string => name.replace(/_/g, ' ');

/**
 * The guardian queue: cases the guardian agent opened on private conversations with minors. The list shows no private
 * text; opening a case (audited) shows its summary, signals and evidence lines and the four actions; the subject's
 * account view lists their private contacts and cases.
 */
export class GuardianPage implements AdminPage {
  readonly element: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly detail: HTMLElement;
  private readonly filter: HTMLSelectElement;
  private readonly status: HTMLParagraphElement;
  private readonly poller = new Poller(() => this.refresh(), refreshMs, 800);
  private readonly settings: GuardianSettingsPanel | null;

  /** @param isAdmin whether to show the agent's settings (an admin's only; moderators work the queue). */
  constructor(private readonly api: GuardianApi, isAdmin = true) {
    this.settings = isAdmin ? new GuardianSettingsPanel(api) : null;
    this.filter = h('select', { class: 'select', testid: 'guardian-filter', attrs: { 'aria-label': 'Show cases' }, on: { change: () => void this.refresh() } },
      ...states.map((s) => h('option', { attrs: { value: s } }, stateLabels[s] ?? s)));
    this.list = h('ol', { class: 'flags', testid: 'guardian-case-list' });
    this.detail = h('section', { class: 'guardian-detail', testid: 'guardian-detail', attrs: { 'aria-live': 'polite' } });
    this.status = h('p', { class: 'muted', attrs: { role: 'status' } });
    this.element = h('div', { class: 'admin-page', testid: 'guardian' },
      h('div', { class: 'page-head' },
        h('h1', { class: 'page-title' }, 'Guardian cases'),
        h('label', { class: 'inline-label' }, 'Show ', this.filter),
        h('button', { class: 'ghost-button', testid: 'guardian-refresh', attrs: { type: 'button' }, on: { click: () => void this.refresh() } }, 'Refresh')),
      h('p', { class: 'muted' },
        'Private conversations with a minor that the guardian agent found concerning. Opening a case shows private text and is recorded in the audit log; ' +
        'the threshold and window are below (admins) or the analysis service\'s Chatroom:Guardian configuration (docs/safety.md).'),
      this.settings?.element ?? null,
      this.status,
      h('div', { class: 'guardian-layout' }, this.list, this.detail));
  }

  show(): void {
    void this.settings?.load();
    this.poller.start();
  }

  hide(): void {
    this.poller.stop();
  }

  private async refresh(): Promise<void> {
    const state = this.filter.value as GuardianCaseState | 'all';
    try {
      const cases = await this.api.cases(state, 100);
      replaceChildren(this.list, ...cases.map((c) => this.row(c)));
      this.status.textContent = cases.length === 0 ? (state === 'open' ? 'No open guardian cases.' : 'No cases in this state.') : '';
    } catch (error) {
      this.status.textContent = error instanceof ApiError ? `Could not load the cases: ${error.message}` : 'Could not load the cases.';
    }
  }

  private row(summary: GuardianCaseSummary): HTMLElement {
    return h('li', { class: `flag state-${summary.state}`, testid: 'guardian-case', dataset: { caseId: summary.id, state: summary.state } },
      h('div', { class: 'flag-meta' },
        h('strong', {}, `Case ${summary.id}`),
        h('span', { class: 'pill' }, summary.kind === 'contacts' ? 'many new contacts' : summary.room ? `#${summary.room}` : 'conversation'),
        h('span', { class: 'pill pill-danger' }, `score ${percent(summary.score)}`),
        when(summary.openedAt),
        h('span', { class: 'pill' }, stateLabels[summary.state] ?? summary.state)),
      h('div', { class: 'muted small' }, summary.signals.slice(0, 5).map(signalName).join(' · ')),
      h('button', { class: 'ghost-button', testid: 'guardian-open', attrs: { type: 'button' }, on: { click: () => void this.open(summary.id) } }, 'Open case'));
  }

  private async open(id: number): Promise<void> {
    try {
      this.renderCase(await this.api.case(id));
    } catch (error) {
      replaceChildren(this.detail, h('p', { class: 'form-error', attrs: { role: 'alert' } }, error instanceof ApiError ? error.message : 'Could not open the case.'));
    }
  }

  private renderCase(found: GuardianCase): void {
    const signals = h('ul', { class: 'guardian-signals', testid: 'guardian-signals' },
      ...found.signals.map((s) => h('li', { dataset: { signal: s.name } },
        h('strong', {}, signalName(s.name)), ` ${percent(s.score)}`,
        s.evidence.length > 0 ? h('span', { class: 'muted small' }, ` — “${s.evidence[0]}”`) : null)));
    const evidence = h('ol', { class: 'guardian-evidence', testid: 'guardian-evidence' }, ...found.evidenceLines.map((line) => h('li', {}, line)));
    replaceChildren(this.detail,
      h('h2', {}, `Case ${found.id}`),
      h('p', { testid: 'guardian-summary' }, found.summary ?? ''),
      h('p', { class: 'muted small' }, `About `, h('button', {
        class: 'link-button', testid: 'guardian-subject', attrs: { type: 'button' }, on: { click: () => void this.account(found.subjectUserId) },
      }, found.subjectUserId), ` · minors: ${found.minorUserIds.join(', ')} · score ${percent(found.score)}`),
      h('h3', {}, 'Signals'), signals,
      h('h3', {}, 'Evidence'), evidence,
      found.state === 'open'
        ? this.actions(found)
        : h('p', { class: 'flag-resolution', testid: 'guardian-resolution' },
          `${stateLabels[found.state] ?? found.state}${found.resolvedBy ? ` by ${found.resolvedBy}` : ''}${found.resolution ? `: ${found.resolution}` : ''}`),
      h('div', { testid: 'guardian-account' }));
  }

  private actions(found: GuardianCase): HTMLElement {
    const reason = h('input', { class: 'text-input', testid: 'guardian-reason', attrs: { placeholder: 'Reason (required, goes into the audit log)', maxlength: 500, 'aria-label': `Reason for case ${found.id}` } });
    const error = h('p', { class: 'form-error', testid: 'guardian-error', attrs: { role: 'alert' } });
    const buttons = actions.map(([action, label, style]) => h('button', {
      class: style, testid: `guardian-${action}`, attrs: { type: 'button' }, on: { click: () => act(action) },
    }, label));
    const act = (action: GuardianAction): void => {
      const why = requireReason(reason, error);
      if (why === null) return;
      for (const b of buttons) b.disabled = true;
      this.api.resolve(found.id, action, why).then((resolved) => {
        this.renderCase(resolved);
        this.poller.nudge();
      }, (failure: unknown) => {
        for (const b of buttons) b.disabled = false;
        error.textContent = failure instanceof ApiError ? failure.message : 'Could not resolve the case.';
      });
    };
    return h('div', { class: 'flag-actions' }, reason, h('div', { class: 'button-row' }, ...buttons), error);
  }

  private async account(userId: string): Promise<void> {
    const target = this.detail.querySelector<HTMLElement>('[data-testid="guardian-account"]');
    if (!target) return;
    try {
      this.renderAccount(target, await this.api.account(userId));
    } catch (error) {
      replaceChildren(target, h('p', { class: 'form-error', attrs: { role: 'alert' } }, error instanceof ApiError ? error.message : 'Could not load the account.'));
    }
  }

  private renderAccount(target: HTMLElement, view: GuardianAccountView): void {
    replaceChildren(target,
      h('h3', {}, `Account ${view.userId}`),
      view.restriction ? h('p', { class: 'pill pill-danger', testid: 'guardian-restricted' }, `Restricted by ${view.restriction.by}: ${view.restriction.reason}`) : null,
      h('h4', {}, 'Private contacts'),
      h('ul', { testid: 'guardian-contacts' }, ...view.contacts.map((c) => h('li', {},
        `#${c.room} (${c.visibility}): `, c.people.map((p) => (p.age === null ? p.userId : `${p.userId} (${p.age})`)).join(', ')))),
      h('h4', {}, 'Cases'),
      h('ul', { testid: 'guardian-account-cases' }, ...view.cases.map((c) => h('li', {}, `Case ${c.id}: ${stateLabels[c.state] ?? c.state}, score ${percent(c.score)}`))));
  }
}
