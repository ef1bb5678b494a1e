import { ApiError } from '../api';
import { h, renderRichText } from '../lib/dom';
import type { RoomRulesView } from '../types';

/** The open room's written rules (the server's, then the room's own), loaded each time the panel opens. */
export class RulesPanel {
  readonly element: HTMLElement;
  readonly toggle: HTMLButtonElement;
  private readonly body: HTMLDivElement;
  private room: string | null = null;

  constructor(private readonly load: (room: string) => Promise<RoomRulesView>) {
    this.body = h('div', { class: 'rules-body' });
    this.element = h('section', { class: 'rules-panel', testid: 'rules-panel', attrs: { hidden: true, 'aria-label': 'Rules' } },
      h('div', { class: 'page-head' }, h('h2', { class: 'section-title' }, 'Rules'),
        h('button', { class: 'link-button', testid: 'rules-close', attrs: { type: 'button' }, on: { click: () => this.close() } }, 'Close')),
      this.body);
    this.toggle = h('button', {
      class: 'ghost-button', testid: 'rules-toggle', attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'rules-panel' },
      on: { click: () => (this.element.hidden ? this.open() : this.close()) },
    }, 'Rules');
    this.element.id = 'rules-panel';
  }

  /** Another room is shown: the panel closes rather than show the last room's rules. */
  showRoom(room: string | null): void {
    if (room !== this.room) this.close();
    this.room = room;
    this.toggle.hidden = room === null;
  }

  private open(): void {
    const room = this.room;
    if (!room) return;
    this.element.hidden = false;
    this.toggle.setAttribute('aria-expanded', 'true');
    this.body.replaceChildren(h('p', { class: 'muted' }, 'Loading the rules…'));
    this.load(room).then((view) => {
      if (room !== this.room) return;
      const server = h('div', { class: 'rules-text', testid: 'server-rules' });
      renderRichText(server, view.serverRules);
      const own = h('div', { class: 'rules-text', testid: 'room-own-rules' });
      if (view.rules) renderRichText(own, view.rules);
      else own.append(h('em', { class: 'muted' }, 'This room has no rules of its own.'));
      this.body.replaceChildren(h('h3', null, 'Everywhere'), server, h('h3', null, `#${room}`), own);
    }, (error: unknown) => {
      this.body.replaceChildren(h('p', { class: 'form-error', attrs: { role: 'alert' } },
        error instanceof ApiError ? `Could not load the rules: ${error.message}` : 'Could not load the rules.'));
    });
  }

  private close(): void {
    this.element.hidden = true;
    this.toggle.setAttribute('aria-expanded', 'false');
  }
}
