import { ApiError } from '../api';
import { h, replaceChildren } from '../lib/dom';
import type { AdminApi } from './adminApi';
import type { AdminPage } from './page';
import type { AuditEntry } from './types';
import { when } from './widgets';

const pageSize = 50;

/** The audit log: every action by moderation and admins, newest first, with its reason. */
export class AuditPage implements AdminPage {
  readonly element: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly more: HTMLButtonElement;
  private readonly status: HTMLParagraphElement;
  private readonly table: HTMLDivElement;
  private entries: AuditEntry[] = [];

  constructor(private readonly api: AdminApi) {
    this.body = h('tbody');
    this.status = h('p', { class: 'muted', attrs: { role: 'status' } });
    this.more = h('button', { class: 'ghost-button', testid: 'audit-more', attrs: { type: 'button', hidden: true }, on: { click: () => void this.load(true) } }, 'Load older');
    this.table = h('div', { class: 'table-wrap card', attrs: { hidden: true } }, h('table', { class: 'table' },
      h('thead', null, h('tr', null, ...['When', 'Actor', 'Action', 'Room', 'Message', 'Target', 'Reason', 'Detail'].map((t) => h('th', null, t)))),
      this.body));
    this.element = h('div', { class: 'admin-page', testid: 'audit' },
      h('div', { class: 'page-head' },
        h('h1', { class: 'page-title' }, 'Audit log'),
        h('button', { class: 'ghost-button', attrs: { type: 'button' }, on: { click: () => void this.load(false) } }, 'Refresh')),
      this.status,
      this.table,
      this.more);
  }

  show(): void {
    void this.load(false);
  }

  hide(): void {}

  private async load(older: boolean): Promise<void> {
    try {
      const before = older && this.entries.length > 0 ? this.entries[this.entries.length - 1]!.id : undefined;
      const page = await this.api.audit(before, pageSize);
      this.entries = older ? this.entries.concat(page) : page;
      this.more.hidden = page.length < pageSize;
      replaceChildren(this.body, ...this.entries.map((e) => h('tr', { testid: 'audit-row', dataset: { action: e.action } },
        h('td', { class: 'nowrap' }, when(e.at)),
        h('td', null, e.actor),
        h('td', null, h('span', { class: 'pill' }, e.action)),
        h('td', null, e.room ? `#${e.room}` : ''),
        h('td', { class: 'num' }, e.messageId === null ? '' : String(e.messageId)),
        h('td', { class: 'small' }, e.targetUserId ?? ''),
        h('td', null, e.reason),
        h('td', { class: 'small detail' }, e.detail ?? ''))));
      // One empty state: the sentence, without an empty table's headings under it.
      this.table.hidden = this.entries.length === 0;
      this.status.textContent = this.entries.length === 0 ? 'Nothing yet.' : '';
    } catch (error) {
      this.status.textContent = error instanceof ApiError ? `Could not load the audit log: ${error.message}` : 'Could not load the audit log.';
    }
  }
}
