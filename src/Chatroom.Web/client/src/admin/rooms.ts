import { ApiError } from '../api';
import { h, replaceChildren } from '../lib/dom';
import type { RoomSummary } from '../types';
import type { AdminApi } from './adminApi';
import type { AdminPage } from './page';

const defaultRoom = 'lobby';
const maxRulesLength = 4000;

/** Room controls: slow mode, lock, written rules, delete. */
export class RoomsPage implements AdminPage {
  readonly element: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly status: HTMLParagraphElement;

  constructor(private readonly api: AdminApi) {
    this.body = h('tbody');
    this.status = h('p', { class: 'muted', attrs: { role: 'status' } });
    this.element = h('div', { class: 'admin-page', testid: 'rooms' },
      h('div', { class: 'page-head' },
        h('h1', { class: 'page-title' }, 'Rooms'),
        h('button', { class: 'ghost-button', attrs: { type: 'button' }, on: { click: () => void this.refresh() } }, 'Refresh')),
      h('p', { class: 'muted' }, `Slow mode allows one message per person every N seconds (0 turns it off). A locked room takes messages from admins only. A room's written rules (Markdown, up to ${maxRulesLength} characters) are shown to its members and read by the policy model after the server's. The default room #${defaultRoom} cannot be deleted.`),
      this.status,
      h('div', { class: 'table-wrap card' }, h('table', { class: 'table' },
        h('thead', null, h('tr', null, h('th', null, 'Room'), h('th', { class: 'num' }, 'Online'), h('th', null, 'Slow mode'), h('th', null, 'Lock'), h('th', null, 'Rules'), h('th', null, ''), h('th', null, ''))),
        this.body)));
  }

  show(): void {
    void this.refresh();
  }

  hide(): void {}

  private async refresh(): Promise<void> {
    try {
      const rooms = await this.api.rooms();
      replaceChildren(this.body, ...[...rooms].sort((a, b) => a.name.localeCompare(b.name)).map((r) => this.row(r)));
      this.status.textContent = '';
    } catch (error) {
      this.status.textContent = error instanceof ApiError ? `Could not load rooms: ${error.message}` : 'Could not load rooms.';
    }
  }

  private row(room: RoomSummary): HTMLElement {
    const note = h('span', { class: 'small', testid: 'room-status', attrs: { role: 'status' } });
    const fail = (error: unknown): void => {
      note.textContent = error instanceof ApiError ? error.message : 'That did not work.';
      note.className = 'small danger';
    };
    const ok = (text: string): void => {
      note.textContent = text;
      note.className = 'small ok';
    };

    const slow = h('input', { class: 'text-input narrow', testid: 'slow-mode-input', attrs: { type: 'number', min: 0, max: 3600, step: 1, value: room.slowModeSeconds ?? 0, 'aria-label': `Slow mode seconds for ${room.name}` } });
    const applySlow = h('button', {
      class: 'secondary-button', testid: 'slow-mode-apply', attrs: { type: 'button' },
      on: {
        click: () => {
          const seconds = Number(slow.value);
          if (!Number.isInteger(seconds) || seconds < 0) {
            fail(new ApiError(400, 'invalid_request', 'Slow mode is a whole number of seconds, 0 or more.'));
            return;
          }
          this.api.roomSettings(room.name, { slowModeSeconds: seconds }).then(() => ok(seconds > 0 ? `Slow mode: ${seconds} s.` : 'Slow mode off.'), fail);
        },
      },
    }, 'Apply');

    let locked = room.locked ?? false;
    const lock = h('button', { class: 'ghost-button', testid: 'lock-toggle', attrs: { type: 'button', 'aria-pressed': String(locked) } }, locked ? 'Unlock' : 'Lock');
    lock.addEventListener('click', () => {
      const next = !locked;
      this.api.roomSettings(room.name, { locked: next }).then(() => {
        locked = next;
        lock.textContent = locked ? 'Unlock' : 'Lock';
        lock.setAttribute('aria-pressed', String(locked));
        ok(locked ? 'Locked: only admins can post.' : 'Unlocked.');
      }, fail);
    });

    // Two steps instead of a browser dialog: the button asks once more in place.
    let armed = false;
    const remove = h('button', {
      class: 'danger-button', testid: 'delete-room',
      attrs: { type: 'button', disabled: room.name === defaultRoom, title: room.name === defaultRoom ? 'The default room cannot be deleted' : null },
    }, 'Delete');
    remove.addEventListener('click', () => {
      if (!armed) {
        armed = true;
        remove.textContent = 'Really delete?';
        window.setTimeout(() => {
          armed = false;
          remove.textContent = 'Delete';
        }, 5000);
        return;
      }
      this.api.deleteRoom(room.name).then(() => tr.remove(), fail);
    });

    const tr = h('tr', { testid: 'room-row', dataset: { room: room.name } },
      h('td', null, h('strong', null, `#${room.name}`), room.topic ? h('div', { class: 'muted small' }, room.topic) : null),
      h('td', { class: 'num' }, String(room.present)),
      h('td', null, h('span', { class: 'inline-controls' }, slow, h('span', { class: 'muted small' }, 's'), applySlow)),
      h('td', null, lock),
      h('td', null, this.rulesEditor(room.name, ok, fail)),
      h('td', null, remove),
      h('td', null, note));
    return tr;
  }

  /** A folded editor: the rules are loaded when it is opened, so the table stays one request. */
  private rulesEditor(room: string, ok: (text: string) => void, fail: (error: unknown) => void): HTMLElement {
    const text = h('textarea', { class: 'text-input rules-input', testid: 'rules-input', attrs: { rows: 6, maxlength: maxRulesLength, 'aria-label': `Written rules for ${room}`, placeholder: 'No rules of its own: the server\'s rules apply.' } });
    const save = h('button', {
      class: 'secondary-button', testid: 'rules-save', attrs: { type: 'button' },
      on: { click: () => this.api.setRoomRules(room, text.value).then((saved) => ok(saved.rules ? 'Rules saved.' : 'Rules cleared.'), fail) },
    }, 'Save rules');
    const editor = h('details', { class: 'rules-editor', testid: 'rules-editor' }, h('summary', null, 'Edit'), text, save);
    editor.addEventListener('toggle', () => {
      if (editor.open) this.api.roomRules(room).then((view) => { text.value = view.rules ?? ''; }, fail);
    });
    return editor;
  }
}
