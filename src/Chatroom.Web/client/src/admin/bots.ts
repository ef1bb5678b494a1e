import { h, replaceChildren } from '../lib/dom';
import { confirmButton, failure, parseRooms, SecretOnce } from './integrationWidgets';
import { botScopes, type Bot, type BotScope, type IntegrationsApi } from './integrationsApi';
import type { AdminPage } from './page';
import { when } from './widgets';

/** Bot accounts: make one (its token shown once), rotate its token, delete it. */
export class BotsPage implements AdminPage {
  readonly element: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly status: HTMLParagraphElement;
  private readonly secret = new SecretOnce('bot-token');
  private readonly name: HTMLInputElement;
  private readonly rooms: HTMLInputElement;
  private readonly scopes = new Map<BotScope, HTMLInputElement>();

  constructor(private readonly api: IntegrationsApi) {
    this.body = h('tbody');
    this.status = h('p', { class: 'muted', testid: 'bots-status', attrs: { role: 'status' } });
    this.name = h('input', { class: 'text-input', testid: 'bot-name', attrs: { maxlength: 32, 'aria-label': 'Bot name', placeholder: 'ci' } });
    this.rooms = h('input', { class: 'text-input', testid: 'bot-rooms', attrs: { 'aria-label': 'Rooms the bot may use', placeholder: 'builds, deploys' } });
    const scopeBoxes = botScopes.map((scope) => {
      const box = h('input', { testid: `bot-scope-${scope}`, attrs: { type: 'checkbox', checked: scope !== 'events' } });
      this.scopes.set(scope, box);
      return h('label', { class: 'inline-controls' }, box, scope);
    });
    const form = h('form', {
      class: 'card admin-form', testid: 'bot-form',
      on: { submit: (e) => { e.preventDefault(); void this.create(); } },
    },
    h('h2', { class: 'card-title' }, 'New bot'),
    h('label', null, 'Name ', this.name),
    h('fieldset', null, h('legend', null, 'Scopes'), ...scopeBoxes),
    h('label', null, 'Rooms ', this.rooms),
    h('button', { class: 'secondary-button', testid: 'bot-create', attrs: { type: 'submit' } }, 'Create bot'));

    this.element = h('div', { class: 'admin-page', testid: 'bots' },
      h('div', { class: 'page-head' },
        h('h1', { class: 'page-title' }, 'Bots'),
        h('button', { class: 'ghost-button', attrs: { type: 'button' }, on: { click: () => void this.refresh() } }, 'Refresh')),
      h('p', { class: 'muted' }, 'A bot posts and reads through REST, MCP or the hub with its token, only in its rooms and only as its scopes allow; its messages carry a BOT badge. Rotating gives a new token and stops the old one at once; deleting stops the bot.'),
      this.secret.element,
      form,
      this.status,
      h('div', { class: 'table-wrap card' }, h('table', { class: 'table' },
        h('thead', null, h('tr', null, h('th', null, 'Bot'), h('th', null, 'Scopes'), h('th', null, 'Rooms'), h('th', null, 'Token since'), h('th', null, ''), h('th', null, ''))),
        this.body)));
  }

  show(): void {
    void this.refresh();
  }

  hide(): void {
    this.secret.clear();
  }

  async refresh(): Promise<void> {
    try {
      const bots = await this.api.bots();
      replaceChildren(this.body, ...bots.map((b) => this.row(b)));
      this.status.textContent = bots.length === 0 ? 'No bots yet.' : '';
    } catch (error) {
      this.status.textContent = `Could not load bots: ${failure(error)}`;
    }
  }

  private async create(): Promise<void> {
    const scopes = botScopes.filter((s) => this.scopes.get(s)!.checked);
    const rooms = parseRooms(this.rooms.value);
    if (scopes.length === 0 || rooms.length === 0) {
      this.status.textContent = 'A bot needs at least one scope and one room.';
      return;
    }
    try {
      const issued = await this.api.createBot(this.name.value.trim(), scopes, rooms);
      this.secret.show(`Token of ${issued.bot.name}`, issued.token);
      this.name.value = '';
      this.rooms.value = '';
      this.status.textContent = `Bot ${issued.bot.name} created.`;
      await this.refresh();
    } catch (error) {
      this.status.textContent = failure(error);
    }
  }

  private row(bot: Bot): HTMLElement {
    const rotate = h('button', {
      class: 'ghost-button', testid: 'bot-rotate', attrs: { type: 'button' },
      on: {
        click: () => this.api.rotateBot(bot.id).then((issued) => {
          this.secret.show(`New token of ${bot.name} (the old one no longer works)`, issued.token);
          void this.refresh();
        }, (error: unknown) => { this.status.textContent = failure(error); }),
      },
    }, 'Rotate token');
    const remove = confirmButton('Delete', 'bot-delete', () => {
      this.api.deleteBot(bot.id).then(() => {
        row.remove();
        this.status.textContent = `Bot ${bot.name} deleted.`;
      }, (error: unknown) => { this.status.textContent = failure(error); });
    });
    const row = h('tr', { testid: 'bot-row', dataset: { bot: bot.id, name: bot.name } },
      h('td', null, h('strong', null, bot.name), h('span', { class: 'badge' }, 'BOT'), h('div', { class: 'muted small' }, bot.id)),
      h('td', null, bot.scopes.join(', ')),
      h('td', null, bot.rooms.map((r) => `#${r}`).join(' ')),
      h('td', null, when(bot.rotatedAt)),
      h('td', null, rotate),
      h('td', null, remove));
    return row;
  }
}
