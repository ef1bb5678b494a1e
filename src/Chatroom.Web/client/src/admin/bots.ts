import { h } from '../lib/dom';
import { checkboxGroup, confirmButton, IntegrationPage, parseRooms } from './integrationWidgets';
import { botScopes, type Bot, type BotScope, type IntegrationsApi } from './integrationsApi';
import type { AdminPage } from './page';
import { when } from './widgets';

/** Bot accounts: make one (its token shown once), rotate its token, delete it. */
export class BotsPage extends IntegrationPage<Bot> implements AdminPage {
  private readonly name: HTMLInputElement;
  private readonly rooms: HTMLInputElement;
  private readonly scopes: () => BotScope[];

  constructor(private readonly api: IntegrationsApi) {
    const name = h('input', { class: 'text-input', testid: 'bot-name', attrs: { maxlength: 32, 'aria-label': 'Bot name', placeholder: 'ci' } });
    const rooms = h('input', { class: 'text-input', testid: 'bot-rooms', attrs: { 'aria-label': 'Rooms the bot may use', placeholder: 'builds, deploys' } });
    const scopes = checkboxGroup('Scopes', botScopes, (s) => `bot-scope-${s}`, (s) => s !== 'events');
    const form = h('form', { class: 'card admin-form', testid: 'bot-form' },
      h('h2', { class: 'card-title' }, 'New bot'),
      h('label', null, 'Name ', name),
      scopes.element,
      h('label', null, 'Rooms ', rooms),
      h('button', { class: 'secondary-button', testid: 'bot-create', attrs: { type: 'submit' } }, 'Create bot'));
    super({
      testid: 'bots', title: 'Bots', secretTestid: 'bot-token', empty: 'No bots yet.',
      note: 'A bot posts and reads through REST, MCP or the hub with its token, only in its rooms and only as its scopes allow; its messages carry a BOT badge. Rotating gives a new token and stops the old one at once; deleting stops the bot.',
      headers: ['Bot', 'Scopes', 'Rooms', 'Token since', '', ''],
    }, form);
    this.name = name;
    this.rooms = rooms;
    this.scopes = scopes.selected;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.create();
    });
  }

  protected load(): Promise<Bot[]> {
    return this.api.bots();
  }

  private async create(): Promise<void> {
    const scopes = this.scopes();
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
      await this.refresh();
      this.status.textContent = `Bot ${issued.bot.name} created.`;
    } catch (error) {
      this.fail(error);
    }
  }

  protected row(bot: Bot): HTMLElement {
    const rotate = h('button', {
      class: 'ghost-button', testid: 'bot-rotate', attrs: { type: 'button' },
      on: {
        click: () => this.api.rotateBot(bot.id).then((issued) => {
          this.secret.show(`New token of ${bot.name} (the old one no longer works)`, issued.token);
          void this.refresh();
        }, this.fail),
      },
    }, 'Rotate token');
    const remove = confirmButton('Delete', 'bot-delete', () => {
      this.api.deleteBot(bot.id).then(() => {
        row.remove();
        this.status.textContent = `Bot ${bot.name} deleted.`;
      }, this.fail);
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
