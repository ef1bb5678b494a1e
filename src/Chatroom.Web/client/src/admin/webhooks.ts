import { h, replaceChildren } from '../lib/dom';
import { checkboxGroup, confirmButton, failure, IntegrationPage, parseRooms } from './integrationWidgets';
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
export class WebhooksPage extends IntegrationPage<Webhook> implements AdminPage {
  private readonly url: HTMLInputElement;
  private readonly rooms: HTMLInputElement;
  private readonly botId: HTMLInputElement;
  private readonly events: () => WebhookEvent[];
  private readonly log: HTMLElement;
  /** Kept across redraws of the log, so what a redelivery said stays after the log refreshes. */
  private readonly logNote = h('span', { class: 'small', testid: 'delivery-note', attrs: { role: 'status' } });
  private openLog: Webhook | null = null;

  constructor(private readonly api: IntegrationsApi) {
    const url = h('input', { class: 'text-input', testid: 'webhook-url', attrs: { type: 'url', 'aria-label': 'Receiver URL', placeholder: 'https://ci.example.com/chat-events' } });
    const rooms = h('input', { class: 'text-input', testid: 'webhook-rooms', attrs: { 'aria-label': 'Rooms (* for all)', placeholder: 'builds, deploys  or  *' } });
    const botId = h('input', { class: 'text-input narrow', testid: 'webhook-bot', attrs: { 'aria-label': 'Bot id (optional)', placeholder: 'bot id (optional)' } });
    const events = checkboxGroup('Events', webhookEvents, (e) => `webhook-event-${e}`, (e) => e === 'message.created');
    const form = h('form', { class: 'card admin-form', testid: 'webhook-form' },
      h('h2', { class: 'card-title' }, 'New webhook'),
      h('label', null, 'URL ', url),
      events.element,
      h('label', null, 'Rooms ', rooms),
      h('label', null, 'Bot ', botId),
      h('button', { class: 'secondary-button', testid: 'webhook-create', attrs: { type: 'submit' } }, 'Create webhook'));
    const log = h('section', { class: 'card', testid: 'delivery-log', attrs: { hidden: true } });
    super({
      testid: 'webhooks', title: 'Webhooks', secretTestid: 'webhook-secret', empty: 'No webhooks yet.',
      note: 'Signed events (Standard Webhooks) sent to a URL. Failed tries are retried for hours, then kept as dead letters you can redeliver under the same webhook-id. A webhook tied to a bot never gets that bot\'s own messages.',
      headers: ['URL', 'Events', 'Rooms', 'State', '', '', ''],
    }, form, log);
    this.url = url;
    this.rooms = rooms;
    this.botId = botId;
    this.events = events.selected;
    this.log = log;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.create();
    });
  }

  protected load(): Promise<Webhook[]> {
    return this.api.webhooks();
  }

  /** An open delivery log follows the list: refreshed with it, closed when its webhook is gone. */
  protected override async loaded(hooks: Webhook[]): Promise<void> {
    if (this.openLog) await this.showLog(hooks.find((w) => w.id === this.openLog!.id) ?? null);
  }

  private async create(): Promise<void> {
    const events = this.events();
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
      await this.refresh();
      this.status.textContent = 'Webhook created.';
    } catch (error) {
      this.fail(error);
    }
  }

  protected row(hook: Webhook): HTMLElement {
    const fail = this.fail;
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
