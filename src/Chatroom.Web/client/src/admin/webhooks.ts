import { h, replaceChildren } from '../lib/dom';
import { confirmButton, failure, parseRooms, SecretOnce } from './integrationWidgets';
import { webhookEvents, type IntegrationsApi, type Webhook, type WebhookDelivery, type WebhookEvent } from './integrationsApi';
import type { AdminPage } from './page';
import { when } from './widgets';

/** The latency of a try as people read it: milliseconds below a second, seconds above. */
export function formatLatency(ms: number | null): string {
  if (ms === null) return '–';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A delivery's outcome in a few words: the status, and for a failed try its code or error. */
export function deliveryOutcome(d: WebhookDelivery): string {
  if (d.status === 'delivered') return `delivered (${d.lastStatusCode ?? 'ok'})`;
  const last = d.lastStatusCode !== null ? `HTTP ${d.lastStatusCode}` : d.lastError ?? 'not tried yet';
  return d.status === 'dead' ? `dead letter: ${last}` : d.attempts === 0 ? 'waiting for its first try' : `retrying: ${last}`;
}

/** Outgoing webhooks: subscribe a URL (its secret shown once), rotate the secret, delete; each one's delivery log with redelivery. */
export class WebhooksPage implements AdminPage {
  readonly element: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly status: HTMLParagraphElement;
  private readonly secret = new SecretOnce('webhook-secret');
  private readonly url: HTMLInputElement;
  private readonly rooms: HTMLInputElement;
  private readonly botId: HTMLInputElement;
  private readonly events = new Map<WebhookEvent, HTMLInputElement>();
  private readonly log: HTMLElement;
  /** Kept across redraws of the log, so what a redelivery said stays after the log refreshes. */
  private readonly logNote = h('span', { class: 'small', testid: 'delivery-note', attrs: { role: 'status' } });
  private openLog: Webhook | null = null;

  constructor(private readonly api: IntegrationsApi) {
    this.body = h('tbody');
    this.status = h('p', { class: 'muted', testid: 'webhooks-status', attrs: { role: 'status' } });
    this.url = h('input', { class: 'text-input', testid: 'webhook-url', attrs: { type: 'url', 'aria-label': 'Receiver URL', placeholder: 'https://ci.example.com/chat-events' } });
    this.rooms = h('input', { class: 'text-input', testid: 'webhook-rooms', attrs: { 'aria-label': 'Rooms (* for all)', placeholder: 'builds, deploys  or  *' } });
    this.botId = h('input', { class: 'text-input narrow', testid: 'webhook-bot', attrs: { 'aria-label': 'Bot id (optional)', placeholder: 'bot id (optional)' } });
    const eventBoxes = webhookEvents.map((event) => {
      const box = h('input', { testid: `webhook-event-${event}`, attrs: { type: 'checkbox', checked: event === 'message.created' } });
      this.events.set(event, box);
      return h('label', { class: 'inline-controls' }, box, event);
    });
    const form = h('form', {
      class: 'card admin-form', testid: 'webhook-form',
      on: { submit: (e) => { e.preventDefault(); void this.create(); } },
    },
    h('h2', { class: 'card-title' }, 'New webhook'),
    h('label', null, 'URL ', this.url),
    h('fieldset', null, h('legend', null, 'Events'), ...eventBoxes),
    h('label', null, 'Rooms ', this.rooms),
    h('label', null, 'Bot ', this.botId),
    h('button', { class: 'secondary-button', testid: 'webhook-create', attrs: { type: 'submit' } }, 'Create webhook'));
    this.log = h('section', { class: 'card', testid: 'delivery-log', attrs: { hidden: true } });

    this.element = h('div', { class: 'admin-page', testid: 'webhooks' },
      h('div', { class: 'page-head' },
        h('h1', { class: 'page-title' }, 'Webhooks'),
        h('button', { class: 'ghost-button', attrs: { type: 'button' }, on: { click: () => void this.refresh() } }, 'Refresh')),
      h('p', { class: 'muted' }, 'Signed events (Standard Webhooks) sent to a URL. Failed tries are retried for hours, then kept as dead letters you can redeliver under the same webhook-id. A webhook tied to a bot never gets that bot\'s own messages.'),
      this.secret.element,
      form,
      this.status,
      h('div', { class: 'table-wrap card' }, h('table', { class: 'table' },
        h('thead', null, h('tr', null, h('th', null, 'URL'), h('th', null, 'Events'), h('th', null, 'Rooms'), h('th', null, 'State'), h('th', null, ''), h('th', null, ''), h('th', null, ''))),
        this.body)),
      this.log);
  }

  show(): void {
    void this.refresh();
  }

  hide(): void {
    this.secret.clear();
  }

  async refresh(): Promise<void> {
    try {
      const hooks = await this.api.webhooks();
      replaceChildren(this.body, ...hooks.map((w) => this.row(w)));
      this.status.textContent = hooks.length === 0 ? 'No webhooks yet.' : '';
      if (this.openLog) await this.showLog(hooks.find((w) => w.id === this.openLog!.id) ?? null);
    } catch (error) {
      this.status.textContent = `Could not load webhooks: ${failure(error)}`;
    }
  }

  private async create(): Promise<void> {
    const events = webhookEvents.filter((e) => this.events.get(e)!.checked);
    const rooms = this.rooms.value.trim() === '*' ? ['*'] : parseRooms(this.rooms.value);
    if (events.length === 0 || rooms.length === 0) {
      this.status.textContent = 'A webhook needs at least one event and one room (or * for all).';
      return;
    }
    try {
      const issued = await this.api.createWebhook(this.url.value.trim(), events, rooms, this.botId.value.trim() || null);
      this.secret.show(`Signing secret of ${issued.webhook.url}`, issued.secret);
      this.url.value = '';
      this.rooms.value = '';
      this.botId.value = '';
      this.status.textContent = 'Webhook created.';
      await this.refresh();
    } catch (error) {
      this.status.textContent = failure(error);
    }
  }

  private row(hook: Webhook): HTMLElement {
    const fail = (error: unknown): void => { this.status.textContent = failure(error); };
    const rotate = h('button', {
      class: 'ghost-button', testid: 'webhook-rotate', attrs: { type: 'button' },
      on: { click: () => this.api.rotateWebhook(hook.id).then((issued) => this.secret.show(`New signing secret of ${hook.url} (the old one no longer signs)`, issued.secret), fail) },
    }, 'Rotate secret');
    const deliveries = h('button', {
      class: 'ghost-button', testid: 'webhook-deliveries', attrs: { type: 'button' },
      on: { click: () => void this.showLog(hook) },
    }, 'Deliveries');
    const remove = confirmButton('Delete', 'webhook-delete', () => {
      this.api.deleteWebhook(hook.id).then(() => {
        row.remove();
        if (this.openLog?.id === hook.id) void this.showLog(null);
        this.status.textContent = 'Webhook deleted.';
      }, fail);
    });
    const state = hook.enabled ? h('span', { class: 'ok' }, 'enabled') : h('span', { class: 'danger', attrs: { title: hook.disabledReason ?? '' } }, `disabled: ${hook.disabledReason ?? ''}`);
    const row = h('tr', { testid: 'webhook-row', dataset: { webhook: hook.id } },
      h('td', null, h('code', null, hook.url), hook.ownerUserId ? h('div', { class: 'muted small' }, `bot ${hook.ownerUserId}`) : null),
      h('td', null, hook.events.join(', ')),
      h('td', null, hook.rooms.map((r) => (r === '*' ? 'all rooms' : `#${r}`)).join(' ')),
      h('td', null, state),
      h('td', null, deliveries),
      h('td', null, rotate),
      h('td', null, remove));
    return row;
  }

  /** The delivery log of one webhook (null closes it): newest first, dead letters counted and redeliverable. */
  async showLog(hook: Webhook | null): Promise<void> {
    if (hook?.id !== this.openLog?.id) this.logNote.textContent = '';
    this.openLog = hook;
    if (!hook) {
      replaceChildren(this.log);
      this.log.hidden = true;
      return;
    }
    let entries: WebhookDelivery[];
    try {
      entries = await this.api.deliveries(hook.id);
    } catch (error) {
      replaceChildren(this.log, h('p', { class: 'danger' }, `Could not load deliveries: ${failure(error)}`));
      this.log.hidden = false;
      return;
    }
    const dead = entries.filter((d) => d.status === 'dead').length;
    const note = this.logNote;
    const rows = entries.map((d) => {
      const redeliver = h('button', {
        class: 'ghost-button', testid: 'redeliver', attrs: { type: 'button', disabled: !hook.enabled || d.status === 'pending' },
        on: {
          click: () => this.api.redeliver(hook.id, d.id).then(() => {
            note.textContent = `Delivery ${d.id} is sent again now, under the same id.`;
            void this.showLog(hook);
          }, (error: unknown) => { note.textContent = failure(error); }),
        },
      }, 'Redeliver');
      return h('tr', { testid: 'delivery-row', dataset: { delivery: d.id, status: d.status } },
        h('td', null, when(d.createdAt)),
        h('td', null, d.eventType),
        h('td', { class: d.status === 'dead' ? 'danger' : d.status === 'delivered' ? 'ok' : '' }, deliveryOutcome(d)),
        h('td', { class: 'num' }, String(d.attempts)),
        h('td', { class: 'num', testid: 'delivery-latency' }, formatLatency(d.lastLatencyMs)),
        h('td', null, redeliver));
    });
    replaceChildren(this.log,
      h('div', { class: 'card-head' },
        h('h2', { class: 'card-title' }, `Deliveries to ${hook.url}`),
        h('span', { class: dead > 0 ? 'danger' : 'muted', testid: 'dead-count' }, dead === 1 ? '1 dead letter' : `${dead} dead letters`),
        h('button', { class: 'ghost-button', attrs: { type: 'button' }, on: { click: () => void this.showLog(null) } }, 'Close')),
      note,
      entries.length === 0
        ? h('p', { class: 'muted' }, 'Nothing sent yet.')
        : h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
          h('thead', null, h('tr', null, h('th', null, 'Created'), h('th', null, 'Event'), h('th', null, 'Outcome'), h('th', { class: 'num' }, 'Tries'), h('th', { class: 'num' }, 'Latency'), h('th', null, ''))),
          h('tbody', null, ...rows))));
    this.log.hidden = false;
  }
}
