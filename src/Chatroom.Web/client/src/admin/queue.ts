import { ApiError } from '../api';
import { h, replaceChildren } from '../lib/dom';
import type { AdminApi } from './adminApi';
import { Poller, type AdminPage } from './page';
import type { AnalysisEvent, AppealDecision, Flag, FlagAppeal, FlagState, ResolveAction } from './types';
import { requireReason, when } from './widgets';

const refreshMs = 10_000;
const muteChoices: readonly [number, string][] = [[300, '5 minutes'], [3600, '1 hour'], [86_400, '1 day']];
const states: readonly (FlagState | 'all')[] = ['open', 'appealed', 'hidden', 'approved', 'muted', 'banned', 'restored', 'upheld', 'all'];
const actionLabels: Readonly<Record<ResolveAction, string>> = { approve: 'Approve', hide: 'Hide', mute: 'Mute author', ban: 'Ban author' };
const doneLabels: Readonly<Record<string, string>> = {
  approved: 'Approved', hidden: 'Hidden', muted: 'Author muted', banned: 'Author banned', open: 'Open',
  appealed: 'Appealed', restored: 'Restored on appeal', upheld: 'Appeal upheld',
};

/** A flag card's reason field, error line and buttons, and what to say when the reason is missing. */
interface DecisionForm {
  reason: HTMLInputElement;
  error: HTMLParagraphElement;
  buttons: HTMLButtonElement[];
  missing: string;
}

/**
 * The review queue: flagged messages, each resolved with approve / hide / mute / ban and a reason; appealed ones show the
 * author's reason and the policy model's advice, and are decided with restore / uphold.
 */
export class QueuePage implements AdminPage {
  readonly element: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly filter: HTMLSelectElement;
  private readonly status: HTMLParagraphElement;
  private readonly poller = new Poller(() => this.refresh(), refreshMs, 800);

  constructor(
    private readonly api: AdminApi,
    private readonly onOpenCount: (count: number) => void,
  ) {
    this.filter = h('select', { class: 'select', testid: 'queue-filter', attrs: { 'aria-label': 'Show flags' }, on: { change: () => void this.refresh() } },
      ...states.map((s) => h('option', { attrs: { value: s } }, s === 'all' ? 'All' : doneLabels[s] ?? s)));
    this.list = h('ol', { class: 'flags', testid: 'flag-list' });
    this.status = h('p', { class: 'muted', attrs: { role: 'status' } });
    this.element = h('div', { class: 'admin-page', testid: 'queue' },
      h('div', { class: 'page-head' },
        h('h1', { class: 'page-title' }, 'Review queue'),
        h('label', { class: 'inline-label' }, 'Show ', this.filter),
        h('button', { class: 'ghost-button', testid: 'queue-refresh', attrs: { type: 'button' }, on: { click: () => void this.refresh() } }, 'Refresh')),
      h('p', { class: 'muted' }, 'Unsafe messages the moderation flagged. Every decision needs a reason; it goes into the audit log.'),
      this.status,
      this.list);
  }

  show(): void {
    this.poller.start();
  }

  hide(): void {
    this.poller.stop();
  }

  onAnalysis(event: AnalysisEvent): void {
    if (event.kind === 'verdict' && event.verdict.safety === 'unsafe') {
      if (this.poller.isShown) this.poller.nudge();
      else void this.countOpen();
    }
  }

  /** Keeps the nav badge right while another page is shown. */
  async countOpen(): Promise<void> {
    try {
      this.onOpenCount((await this.api.flags('open', 200)).length);
    } catch {
      // The badge keeps its last value; the page itself reports errors when shown.
    }
  }

  private async refresh(): Promise<void> {
    const state = this.filter.value as FlagState | 'all';
    try {
      const flags = await this.api.flags(state, 100);
      if (state === 'open') this.onOpenCount(flags.length);
      this.render(flags);
      this.status.textContent = flags.length === 0 ? (state === 'open' ? 'Nothing to review. 🎉' : 'No flags in this state.') : '';
    } catch (error) {
      this.status.textContent = error instanceof ApiError ? `Could not load the queue: ${error.message}` : 'Could not load the queue.';
    }
  }

  private render(flags: readonly Flag[]): void {
    // Keep cards someone is typing a reason into, so a live refresh never eats their words.
    const existing = new Map<number, HTMLElement>();
    for (const el of this.list.children) existing.set(Number((el as HTMLElement).dataset.flagId), el as HTMLElement);
    replaceChildren(this.list, ...flags.map((flag) => {
      const kept = existing.get(flag.id);
      return kept && kept.dataset.state === flag.state && kept.dataset.advised === String(Boolean(flag.appeal?.advice)) ? kept : this.flagCard(flag);
    }));
  }

  private flagCard(flag: Flag): HTMLElement {
    const el = h('li', { class: `flag state-${flag.state}`, testid: 'flag', dataset: { flagId: flag.id, messageId: flag.messageId, room: flag.room, state: flag.state, advised: String(Boolean(flag.appeal?.advice)) } },
      h('div', { class: 'flag-meta' },
        h('span', { class: 'pill' }, `#${flag.room}`),
        h('strong', { testid: 'flag-author' }, flag.authorName),
        when(flag.createdAt),
        h('span', { class: 'pill pill-danger' }, `unsafe ${Math.round(flag.unsafeScore * 100)}%`),
        ...flag.categories.map((c) => h('span', { class: 'pill' }, c))),
      h('blockquote', { class: 'flag-text', testid: 'flag-text' }, flag.text),
      h('div', { class: 'flag-reason muted small' }, `Flagged: ${flag.reason}`));
    if (flag.appeal) el.append(appealBlock(flag.appeal));
    if (flag.state === 'open') el.append(this.actions(flag, el));
    else if (flag.state === 'appealed') el.append(this.appealActions(flag, el));
    else el.append(h('div', { class: 'flag-resolution', testid: 'flag-resolution' },
      `${doneLabels[flag.state] ?? flag.state}${flag.resolvedBy ? ` by ${flag.resolvedBy}` : ''}${flag.resolution ? `: ${flag.resolution}` : ''}`));
    return el;
  }

  /** A decision with a reason: refused in the page without one, its buttons off while it is sent, the card redrawn after. */
  private submit(cardEl: HTMLElement, form: DecisionForm, call: (why: string) => Promise<Flag>, failed: string, after?: () => void): void {
    const why = requireReason(form.reason, form.error, form.missing);
    if (why === null) return;
    for (const b of form.buttons) b.disabled = true;
    call(why).then((decided) => {
      cardEl.replaceWith(this.flagCard(decided));
      after?.();
    }, (failure: unknown) => {
      for (const b of form.buttons) b.disabled = false;
      form.error.textContent = failure instanceof ApiError ? failure.message : failed;
      if (failure instanceof ApiError && failure.code === 'invalid_request') this.poller.nudge();
    });
  }

  private appealActions(flag: Flag, cardEl: HTMLElement): HTMLElement {
    const reason = h('input', { class: 'text-input', testid: 'appeal-decision-reason', attrs: { placeholder: 'Reason (required, the author sees it)', maxlength: 500, 'aria-label': `Reason for deciding the appeal of flag ${flag.id}` } });
    const error = h('p', { class: 'form-error', testid: 'flag-error', attrs: { role: 'alert' } });
    const buttons: HTMLButtonElement[] = [];
    const form = { reason, error, buttons, missing: 'Write a reason first: the author sees it, and it goes into the audit log.' };
    const decide = (decision: AppealDecision): void =>
      this.submit(cardEl, form, (why) => this.api.decideAppeal(flag.id, decision, why), 'Could not decide the appeal.');
    buttons.push(
      h('button', { class: 'secondary-button', testid: 'appeal-restore', attrs: { type: 'button' }, on: { click: () => decide('restore') } }, 'Restore'),
      h('button', { class: 'primary-button', testid: 'appeal-uphold', attrs: { type: 'button' }, on: { click: () => decide('uphold') } }, 'Uphold'));
    return h('div', { class: 'flag-actions' }, reason, h('div', { class: 'button-row' }, ...buttons), error);
  }

  private actions(flag: Flag, cardEl: HTMLElement): HTMLElement {
    const reason = h('input', { class: 'text-input', testid: 'flag-reason', attrs: { placeholder: 'Reason (required, goes into the audit log)', maxlength: 500, 'aria-label': `Reason for flag ${flag.id}` } });
    const mute = h('select', { class: 'select', testid: 'flag-mute-seconds', attrs: { 'aria-label': 'Mute for' } },
      ...muteChoices.map(([s, label]) => h('option', { attrs: { value: s } }, label)));
    const error = h('p', { class: 'form-error', testid: 'flag-error', attrs: { role: 'alert' } });
    const buttons: HTMLButtonElement[] = [];
    const form = { reason, error, buttons, missing: 'Write a reason first: every decision is kept in the audit log.' };
    const act = (action: ResolveAction): void => this.submit(cardEl, form,
      (why) => this.api.resolve(flag.id, action, why, action === 'mute' ? Number(mute.value) : undefined),
      'Could not resolve the flag.', () => void this.countOpen());
    for (const action of ['approve', 'hide', 'mute', 'ban'] as const) {
      buttons.push(h('button', {
        class: action === 'approve' ? 'secondary-button' : action === 'hide' ? 'primary-button' : 'danger-button',
        testid: `flag-${action}`,
        attrs: { type: 'button' },
        on: { click: () => act(action) },
      }, actionLabels[action]));
    }
    reason.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        act('hide');
      }
    });
    return h('div', { class: 'flag-actions' }, reason,
      h('div', { class: 'button-row' }, buttons[0]!, buttons[1]!, h('span', { class: 'mute-group' }, buttons[2]!, mute), buttons[3]!),
      error);
  }
}

/** The author's reason and, once the policy model answered, its advice (advice only: the moderator decides). */
function appealBlock(appeal: FlagAppeal): HTMLElement {
  const advice = appeal.advice;
  return h('div', { class: 'flag-appeal', testid: 'flag-appeal' },
    h('div', { class: 'small' }, h('strong', null, 'Appeal: '), h('span', { testid: 'appeal-reason' }, appeal.reason)),
    h('div', { class: 'muted small', testid: 'appeal-advice' }, advice
      ? `Policy model (${advice.model}) advises ${advice.recommendation}${advice.rule ? ` (${advice.rule})` : ''}: ${advice.rationale}`
      : 'No advice from a policy model (none configured, or it has not answered yet).'));
}
