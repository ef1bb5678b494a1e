import { ApiError } from '../api';
import { h, replaceChildren } from '../lib/dom';
import type { BlockListView, RoomMemberView, UserRef } from '../types';

/** What the members panel asks of the server (the REST routes of a private room). */
export interface MemberActions {
  members(room: string): Promise<RoomMemberView[]>;
  invite(room: string, userName: string): Promise<void>;
  /** Removes a member, or with one's own id leaves the room. */
  removeMember(room: string, userId: string): Promise<void>;
}

const roleLabels: Readonly<Record<string, string>> = { owner: 'owner', member: 'member', pending: 'invited', declined: 'declined' };

const failure = (error: unknown, fallback: string): string => (error instanceof ApiError ? error.message : fallback);

/**
 * A private room's members, opened from the room header: everyone sees who is in; the owner invites people by user name
 * and removes members; a member can leave. Loaded each time it opens, so it never shows another room's people.
 */
export class MembersPanel {
  readonly element: HTMLElement;
  readonly toggle: HTMLButtonElement;
  private readonly list: HTMLUListElement;
  private readonly tools: HTMLDivElement;
  private readonly message: HTMLParagraphElement;
  private room: string | null = null;

  constructor(private readonly me: UserRef, private readonly actions: MemberActions) {
    this.list = h('ul', { class: 'member-list', testid: 'member-list' });
    this.tools = h('div', { class: 'member-tools' });
    this.message = h('p', { class: 'form-error', testid: 'members-message', attrs: { role: 'status' } });
    this.element = h('section', { class: 'rules-panel members-panel', testid: 'members-panel', attrs: { hidden: true, 'aria-label': 'Members' } },
      h('div', { class: 'page-head' }, h('h2', { class: 'section-title' }, 'Members'),
        h('button', { class: 'link-button', testid: 'members-close', attrs: { type: 'button' }, on: { click: () => this.close() } }, 'Close')),
      this.list, this.tools, this.message);
    this.element.id = 'members-panel';
    this.toggle = h('button', {
      class: 'ghost-button', testid: 'members-toggle', attrs: { type: 'button', hidden: true, 'aria-expanded': 'false', 'aria-controls': 'members-panel' },
      on: { click: () => (this.element.hidden ? void this.open() : this.close()) },
    }, 'Members');
  }

  /** Another room is shown: the panel closes; its toggle shows for private rooms only. */
  showRoom(room: string | null, isPrivate: boolean): void {
    if (room !== this.room) this.close();
    this.room = isPrivate ? room : null;
    this.toggle.hidden = this.room === null;
  }

  private close(): void {
    this.element.hidden = true;
    this.toggle.setAttribute('aria-expanded', 'false');
  }

  private async open(): Promise<void> {
    this.element.hidden = false;
    this.toggle.setAttribute('aria-expanded', 'true');
    this.message.textContent = '';
    await this.reload();
  }

  private async reload(): Promise<void> {
    const room = this.room;
    if (!room) return;
    try {
      const members = (await this.actions.members(room)).filter((m) => m.role !== 'declined');
      if (room !== this.room) return;
      this.render(room, members);
    } catch (error) {
      this.message.textContent = failure(error, 'Could not load the members.');
    }
  }

  private render(room: string, members: RoomMemberView[]): void {
    const owner = members.some((m) => m.role === 'owner' && m.userId === this.me.id);
    replaceChildren(this.list, ...members.map((m) => h('li', { class: 'member', testid: 'member', dataset: { userId: m.userId, role: m.role } },
      h('span', { class: 'member-name' }, m.userId === this.me.id ? `${m.name ?? this.me.name} (you)` : m.name ?? 'Someone'),
      h('span', { class: 'pill' }, roleLabels[m.role] ?? m.role),
      owner && m.userId !== this.me.id
        ? h('button', { class: 'link-button', testid: 'member-remove', attrs: { type: 'button' }, on: { click: () => void this.remove(room, m) } }, 'Remove')
        : null)));
    replaceChildren(this.tools, owner ? this.inviteForm(room) : h('button', {
      class: 'secondary-button', testid: 'members-leave', attrs: { type: 'button' }, on: { click: () => void this.leave(room) },
    }, 'Leave this room'));
  }

  private inviteForm(room: string): HTMLElement {
    const name = h('input', { class: 'text-input', testid: 'member-invite-name', attrs: { placeholder: 'User name', 'aria-label': 'User name to invite', maxlength: 64 } });
    return h('form', {
      class: 'invite-form',
      on: {
        submit: (e) => {
          e.preventDefault();
          const userName = name.value.trim();
          if (!userName) {
            this.message.textContent = 'Write the user name of the person to invite.';
            return;
          }
          this.actions.invite(room, userName).then(() => {
            this.message.textContent = `Invited ${userName}: they join once they accept.`;
            name.value = '';
            void this.reload();
          }, (error: unknown) => {
            this.message.textContent = failure(error, 'Could not invite.');
          });
        },
      },
    }, name, h('button', { class: 'secondary-button', testid: 'member-invite', attrs: { type: 'submit' } }, 'Invite'));
  }

  private async remove(room: string, member: RoomMemberView): Promise<void> {
    if (!confirm(`Remove ${member.name ?? 'this person'} from #${room}?`)) return;
    try {
      await this.actions.removeMember(room, member.userId);
      this.message.textContent = `${member.name ?? 'They'} can no longer read #${room}.`;
      await this.reload();
    } catch (error) {
      this.message.textContent = failure(error, 'Could not remove them.');
    }
  }

  private async leave(room: string): Promise<void> {
    if (!confirm(`Leave #${room}? Only the owner can invite you back.`)) return;
    try {
      await this.actions.removeMember(room, this.me.id);
      this.close();
    } catch (error) {
      this.message.textContent = failure(error, 'Could not leave the room.');
    }
  }
}

/** What the block list asks of the server. */
export interface BlockActions {
  blocks(): Promise<BlockListView>;
  unblock(userId: string): Promise<void>;
}

/** "Blocked people" in the Conversations section: who you block, loaded when it opens, each with Unblock. */
export class BlockListPanel {
  readonly element: HTMLDetailsElement;
  private readonly list: HTMLUListElement;
  private readonly message: HTMLParagraphElement;

  constructor(private readonly actions: BlockActions) {
    this.list = h('ul', { class: 'block-list', testid: 'block-list' });
    this.message = h('p', { class: 'muted small', testid: 'block-list-message', attrs: { role: 'status' } });
    this.element = h('details', { class: 'blocked-people', testid: 'blocked-people', on: { toggle: () => { if (this.element.open) void this.reload(); } } },
      h('summary', { testid: 'blocked-people-toggle' }, 'Blocked people'), this.list, this.message);
  }

  private async reload(): Promise<void> {
    try {
      const { people } = await this.actions.blocks();
      replaceChildren(this.list, ...people.map((p) => h('li', { class: 'blocked-person', testid: 'blocked-person', dataset: { userId: p.id } },
        h('span', {}, p.name ?? 'A deleted account'),
        h('button', { class: 'link-button', testid: 'unblock', attrs: { type: 'button' }, on: { click: () => void this.unblock(p.id, p.name) } }, 'Unblock'))));
      this.message.textContent = people.length === 0 ? 'You block nobody.' : '';
    } catch (error) {
      this.message.textContent = failure(error, 'Could not load the people you block.');
    }
  }

  private async unblock(userId: string, name: string | null): Promise<void> {
    try {
      await this.actions.unblock(userId);
      await this.reload();
      this.message.textContent = `${name ?? 'They'} can message you again.`;
    } catch (error) {
      this.message.textContent = failure(error, 'Could not unblock.');
    }
  }
}
