import { h, replaceChildren } from '../lib/dom';
import { hueFor, initial } from '../lib/format';
import type { AppealView, RoomRulesView, RoomSummary, User, UserRef } from '../types';
import { appealAction } from './appealForm';
import { Composer } from './composer';
import type { ConversationEntry, ConversationRequest } from './conversations';
import { MessageListView } from './messageList';
import type { RoomState } from './roomState';
import { BlockListPanel, MembersPanel, type BlockActions, type MemberActions } from './privatePanels';
import { RulesPanel } from './rulesPanel';

export interface ChatViewActions extends MemberActions, BlockActions {
  openRoom(name: string): void;
  refreshRooms(): void;
  createRoom(name: string, topic: string, privateRoom: boolean): Promise<string | null>;
  leaveRoom(name: string): void;
  send(text: string): void;
  typing(): void;
  retry(clientMessageId: string): void;
  discard(clientMessageId: string): void;
  loadOlder(): void;
  scrolledToBottom(): void;
  reconnectNow(): void;
  signOut(): void;
  rules(room: string): Promise<RoomRulesView>;
  appeal(room: string, messageId: number, reason: string): Promise<AppealView>;
  appealStatus(room: string, messageId: number): Promise<AppealView>;
  /** Opens (or finds) the direct conversation with a person and switches to it. */
  openDirect(user: UserRef): void;
  acceptRequest(room: string): void;
  declineRequest(room: string): void;
  block(user: UserRef): void;
  /** Reports a message, or with `messageId` null the person's latest message in the room. */
  report(room: string, user: UserRef, messageId: number | null, reason: string): void;
}

/** What the chat screen shows beyond the person's name. */
export interface ChatViewOptions {
  /** An account's session: the header links to the account page. */
  account?: boolean;
  /** Set when this person may read but not post (a guest where guests are read-only): the sentence that says so. */
  readOnly?: string | null;
  /** How a room is called in its header (a direct conversation by the other person's name); null: `# name`. */
  roomLabel?: (room: string) => string | null;
  /** Whether a room is one of this person's private rooms: its header then offers Members. */
  isPrivateRoom?: (room: string) => boolean;
}

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

const roomNamePattern = /^[a-z0-9-]{1,64}$/;
const nearBottomPx = 80;
const nearTopPx = 240;

/** The chat screen: rooms sidebar, the open room, and who is in it. */
export class ChatView {
  readonly root: HTMLDivElement;
  readonly composer: Composer;
  private readonly roomList: HTMLUListElement;
  private readonly conversationList: HTMLUListElement;
  private readonly requestList: HTMLDivElement;
  private readonly safetyLine: HTMLDivElement;
  private readonly banner: HTMLDivElement;
  private readonly bannerText: HTMLSpanElement;
  private readonly bannerAction: HTMLButtonElement;
  private readonly roomTitle: HTMLHeadingElement;
  private readonly roomTopic: HTMLParagraphElement;
  private readonly roomRules: HTMLDivElement;
  private readonly peopleToggle: HTMLButtonElement;
  private readonly leaveButton: HTMLButtonElement;
  private readonly notices: HTMLDivElement;
  private readonly scroller: HTMLDivElement;
  private readonly olderStatus: HTMLDivElement;
  private readonly emptyState: HTMLDivElement;
  private readonly jumpButton: HTMLButtonElement;
  private readonly typingLine: HTMLDivElement;
  private readonly peopleTitle: HTMLHeadingElement;
  private readonly peopleList: HTMLUListElement;
  private readonly messageList: MessageListView;
  private readonly rulesPanel: RulesPanel;
  private readonly membersPanel: MembersPanel;
  private readonly newRoomError: HTMLParagraphElement;
  private shownRoom: string | null = null;
  private roomOrder: string[] = [];
  /** The reader is at the newest message; growth of the list or a smaller viewport keeps them there. */
  private stick = true;

  constructor(
    private readonly me: User,
    private readonly actions: ChatViewActions,
    maxLength: number,
    private readonly options: ChatViewOptions = {},
  ) {
    this.composer = new Composer({ maxLength, onSend: (t) => actions.send(t), onTyping: () => actions.typing() });
    this.messageList = new MessageListView(me.id, {
      retry: (id) => actions.retry(id),
      discard: (id) => actions.discard(id),
      appealAction: (id) => {
        // The list is emptied when another room opens, so the room shown now is the message's.
        const room = this.shownRoom ?? '';
        return appealAction(id, { appeal: (m, reason) => actions.appeal(room, m, reason), status: (m) => actions.appealStatus(room, m) });
      },
      // Private conversations, blocks and reports are an account's: a guest's chat shows none of them.
      personActions: options.account
        ? (message) => this.personButtons({ id: message.authorId, name: message.authorName }, this.shownRoom ?? '', message.id)
        : undefined,
    });
    this.rulesPanel = new RulesPanel((room) => actions.rules(room));
    this.membersPanel = new MembersPanel(me, actions);

    const meAvatar = h('span', { class: 'avatar small', attrs: { 'aria-hidden': 'true' } }, initial(me.name));
    meAvatar.style.setProperty('--hue', String(hueFor(me.id)));
    const topbar = h(
      'header',
      { class: 'topbar' },
      h('button', {
        class: 'icon-button menu-toggle',
        testid: 'menu-toggle',
        attrs: { type: 'button', 'aria-label': 'Show rooms', 'aria-controls': 'sidebar' },
        on: { click: () => { this.toggle('sidebar-open'); actions.refreshRooms(); } },
      }, '☰'),
      h('div', { class: 'brand' }, h('span', { class: 'brand-mark', attrs: { 'aria-hidden': 'true' } }, '●'), 'Chatroom'),
      h('div', { class: 'me' }, meAvatar, h('span', { class: 'me-name', testid: 'me-name' }, me.name),
        options.account ? h('a', { class: 'ghost-button', testid: 'account-link', attrs: { href: '/account' } }, 'Account') : null,
        h('button', { class: 'ghost-button', testid: 'sign-out', attrs: { type: 'button' }, on: { click: () => actions.signOut() } }, 'Sign out')),
    );

    this.bannerText = h('span', null, '');
    this.bannerAction = h('button', {
      class: 'link-button', testid: 'reconnect-now', attrs: { type: 'button', hidden: true },
      on: { click: () => actions.reconnectNow() },
    }, 'Reconnect now');
    this.banner = h('div', { class: 'banner', testid: 'reconnect-banner', attrs: { role: 'status', hidden: true } },
      h('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }), this.bannerText, this.bannerAction);

    this.roomList = h('ul', { class: 'room-list', testid: 'room-list', attrs: { 'aria-label': 'Rooms' } });
    const newName = h('input', {
      class: 'text-input', testid: 'new-room-name',
      attrs: { name: 'room', placeholder: 'new-room-name', maxlength: 64, autocomplete: 'off', 'aria-label': 'New room name', spellcheck: 'false' },
      on: { input: (e) => { const t = e.target as HTMLInputElement; t.value = t.value.toLowerCase().replace(/\s+/g, '-'); } },
    });
    const newTopic = h('input', {
      class: 'text-input', testid: 'new-room-topic',
      attrs: { name: 'topic', placeholder: 'Topic (optional)', maxlength: 200, autocomplete: 'off', 'aria-label': 'New room topic' },
    });
    // Private rooms need an account (guests have no conversations).
    const newPrivate = options.account
      ? h('input', { testid: 'new-room-private', attrs: { type: 'checkbox', name: 'private' } })
      : null;
    this.newRoomError = h('p', { class: 'form-error', testid: 'new-room-error', attrs: { role: 'alert' } });
    const newRoomForm = h('form', {
      class: 'new-room', testid: 'new-room-form',
      on: {
        submit: (e) => {
          e.preventDefault();
          const name = newName.value.trim();
          if (!roomNamePattern.test(name)) {
            this.newRoomError.textContent = 'Use 1–64 lower-case letters, digits or "-".';
            return;
          }
          this.newRoomError.textContent = '';
          void actions.createRoom(name, newTopic.value.trim(), newPrivate?.checked ?? false).then((error) => {
            if (error) this.newRoomError.textContent = error;
            else { newName.value = ''; newTopic.value = ''; if (newPrivate) newPrivate.checked = false; }
          });
        },
      },
    }, h('h3', null, 'New room'), newName, newTopic,
      newPrivate ? h('label', { class: 'check-label' }, newPrivate, ' Private: only people I invite') : null,
      h('button', { class: 'secondary-button', testid: 'new-room-submit', attrs: { type: 'submit' } }, 'Create room'),
      this.newRoomError);

    this.requestList = h('div', { class: 'conversation-requests', testid: 'conversation-requests', attrs: { 'aria-live': 'polite' } });
    this.conversationList = h('ul', { class: 'room-list', testid: 'conversation-list', attrs: { 'aria-label': 'Conversations' } });
    const sidebar = h('aside', { class: 'sidebar', testid: 'sidebar', attrs: { id: 'sidebar', 'aria-label': 'Rooms' } },
      h('h2', { class: 'section-title' }, 'Conversations'), this.requestList, this.conversationList,
      options.account ? new BlockListPanel(actions).element : null,
      h('h2', { class: 'section-title' }, 'Rooms'), this.roomList, newRoomForm);

    this.roomTitle = h('h1', { class: 'room-title', testid: 'room-title' });
    this.roomTopic = h('p', { class: 'room-topic', testid: 'room-topic' });
    this.roomRules = h('div', { class: 'room-rules', testid: 'room-rules', attrs: { 'aria-live': 'polite' } });
    this.peopleToggle = h('button', {
      class: 'ghost-button people-toggle', testid: 'people-toggle',
      attrs: { type: 'button', 'aria-controls': 'people', 'aria-label': 'Show people in this room' },
      on: { click: () => this.toggle('people-open') },
    });
    this.leaveButton = h('button', {
      class: 'ghost-button', testid: 'leave-room', attrs: { type: 'button' },
      on: { click: () => { if (this.shownRoom) actions.leaveRoom(this.shownRoom); } },
    }, 'Leave');
    const roomHeader = h('div', { class: 'room-header' },
      h('div', { class: 'room-heading' }, this.roomTitle, this.roomTopic),
      h('div', { class: 'room-tools' }, this.rulesPanel.toggle, this.membersPanel.toggle, this.peopleToggle, this.leaveButton));

    this.notices = h('div', { class: 'notices', testid: 'system-notices', attrs: { 'aria-live': 'polite' } });
    this.safetyLine = h('div', { class: 'safety-notice', testid: 'safety-notice', attrs: { role: 'note', hidden: true } });
    this.olderStatus = h('div', { class: 'older-status', testid: 'older-status' });
    this.emptyState = h('div', { class: 'empty-state', testid: 'empty-state' });
    this.scroller = h('div', {
      class: 'messages', testid: 'message-list', attrs: { role: 'log', 'aria-label': 'Messages', tabindex: 0 },
      on: { scroll: () => this.onScroll() },
    }, this.olderStatus, this.messageList.list, this.emptyState);
    this.jumpButton = h('button', {
      class: 'jump-button', testid: 'jump-latest', attrs: { type: 'button', hidden: true },
      on: { click: () => this.scrollToBottom(true) },
    }, 'New messages ↓');
    this.typingLine = h('div', { class: 'typing', testid: 'typing-indicator', attrs: { 'aria-live': 'polite' } });

    const main = h('main', { class: 'room', testid: 'room-view' },
      roomHeader, this.rulesPanel.element, this.membersPanel.element, this.safetyLine, this.notices,
      h('div', { class: 'messages-wrap' }, this.scroller, this.jumpButton),
      this.typingLine, this.roomRules, this.composer.error, this.composer.form);

    this.peopleTitle = h('h2', { class: 'section-title' }, 'People');
    this.peopleList = h('ul', { class: 'people-list', testid: 'presence-list', attrs: { 'aria-label': 'People in this room' } });
    const people = h('aside', { class: 'people', testid: 'presence-panel', attrs: { id: 'people', 'aria-label': 'People in this room' } },
      this.peopleTitle, this.peopleList);

    const scrim = h('div', { class: 'scrim', attrs: { 'aria-hidden': 'true' }, on: { click: () => this.closePanels() } });
    this.root = h('div', { class: 'app', testid: 'app' }, topbar, this.banner,
      h('div', { class: 'layout' }, sidebar, main, people, scrim));
    this.root.addEventListener('keydown', (e) => this.onKeyDown(e));
    if (typeof ResizeObserver !== 'undefined') {
      // Late layout (fonts, a growing composer, a phone keyboard opening) must not leave the reader above the newest message.
      const keep = new ResizeObserver(() => {
        if (this.stick) this.scroller.scrollTop = this.scroller.scrollHeight;
      });
      keep.observe(this.scroller);
      keep.observe(this.messageList.list);
    }
    this.showRoom(null, null);
  }

  renderRooms(rooms: readonly RoomSummary[], active: string | null, joined: ReadonlySet<string>, unread: (room: string) => number): void {
    this.roomOrder = rooms.map((r) => r.name);
    const items = rooms.map((room) => {
      const count = unread(room.name);
      return h('li', null, h('button', {
        class: `room-item${room.name === active ? ' active' : ''}${joined.has(room.name) ? ' joined' : ''}${count > 0 ? ' has-unread' : ''}`,
        testid: 'room-item',
        dataset: { room: room.name },
        attrs: { type: 'button', 'aria-current': room.name === active ? 'page' : null, title: room.topic ?? room.name },
        on: { click: () => { this.closePanels(); this.actions.openRoom(room.name); } },
      },
      h('span', { class: 'room-hash', attrs: { 'aria-hidden': 'true' } }, '#'),
      h('span', { class: 'room-name' }, room.name),
      count > 0 ? h('span', { class: 'unread-badge', testid: 'unread-badge', attrs: { 'aria-label': `${count} unread` } }, count > 99 ? '99+' : String(count)) : null,
      h('span', { class: 'present-count', testid: 'room-present', attrs: { 'aria-label': `${room.present} present`, title: `${room.present} present` } }, String(room.present))));
    });
    if (items.length === 0) items.push(h('li', { class: 'muted' }, 'No rooms yet: create one below.'));
    replaceChildren(this.roomList, ...items);
  }

  /** The Conversations section: requests waiting for an answer, then direct and private rooms with unread counts. */
  renderConversations(entries: readonly ConversationEntry[], requests: readonly ConversationRequest[], active: string | null): void {
    replaceChildren(this.requestList, ...requests.map((r) => this.requestCard(r)));
    const items = entries.filter((e) => !e.pending).map((e) => h('li', null, h('button', {
      class: `room-item conversation-item${e.room === active ? ' active' : ''}${e.unread > 0 ? ' has-unread' : ''}`,
      testid: 'conversation-item',
      dataset: { room: e.room },
      attrs: { type: 'button', 'aria-current': e.room === active ? 'page' : null, title: e.label },
      on: { click: () => { this.closePanels(); this.actions.openRoom(e.room); } },
    },
    h('span', { class: 'room-hash', attrs: { 'aria-hidden': 'true' } }, e.label.startsWith('#') ? '#' : '@'),
    h('span', { class: 'room-name', testid: 'conversation-name' }, e.label.replace(/^#/, '')),
    e.unread > 0 ? h('span', { class: 'unread-badge', testid: 'unread-badge', attrs: { 'aria-label': `${e.unread} unread` } }, e.unread > 99 ? '99+' : String(e.unread)) : null)));
    if (items.length === 0 && requests.length === 0) items.push(h('li', { class: 'muted' }, 'No conversations yet: choose "Message" beside a person.'));
    replaceChildren(this.conversationList, ...items);
  }

  /** A minor's first message from an adult: a line of its own above the messages, not a passing notice. */
  renderSafety(text: string | null): void {
    this.safetyLine.hidden = text === null;
    this.safetyLine.textContent = text ?? '';
  }

  private requestCard(request: ConversationRequest): HTMLElement {
    const title = request.kind === 'direct' ? `${request.from.name} wants to message you` : `${request.from.name} invited you to #${request.room}`;
    return h('div', { class: 'request-card', testid: 'conversation-request', dataset: { room: request.room, from: request.from.id }, attrs: { role: 'group', 'aria-label': title } },
      h('p', { class: 'request-title', testid: 'request-from' }, title),
      request.preview ? h('p', { class: 'request-preview', testid: 'request-preview' }, request.preview) : null,
      h('div', { class: 'request-actions' },
        h('button', { class: 'secondary-button', testid: 'request-accept', attrs: { type: 'button' }, on: { click: () => this.actions.acceptRequest(request.room) } }, 'Accept'),
        h('button', { class: 'ghost-button', testid: 'request-decline', attrs: { type: 'button' }, on: { click: () => this.actions.declineRequest(request.room) } }, 'Decline'),
        h('button', { class: 'ghost-button', testid: 'request-report', attrs: { type: 'button' }, on: { click: () => this.askReport(request.room, request.from, null) } }, 'Report')));
  }

  /** Message, Block and Report for a person (beside their message or in the people list). */
  private personButtons(user: UserRef, room: string, messageId: number | null): HTMLElement {
    return h('span', { class: 'person-actions', testid: 'person-actions' },
      h('button', { class: 'link-button', testid: 'person-message', attrs: { type: 'button', title: `Message ${user.name} privately` }, on: { click: () => this.actions.openDirect(user) } }, 'Message'),
      h('button', { class: 'link-button', testid: 'person-block', attrs: { type: 'button' }, on: { click: () => {
        if (window.confirm(`Block ${user.name}? They will not be able to message you or invite you.`)) this.actions.block(user);
      } } }, 'Block'),
      room ? h('button', { class: 'link-button', testid: 'person-report', attrs: { type: 'button' }, on: { click: () => this.askReport(room, user, messageId) } }, 'Report') : null);
  }

  private askReport(room: string, user: UserRef, messageId: number | null): void {
    const answer = window.prompt(messageId === null ? `Why are you reporting ${user.name}?` : `Why are you reporting this message from ${user.name}?`);
    if (answer === null) return;
    // The server takes one line of 1–500 characters: line breaks become spaces rather than a refusal.
    const reason = answer.replace(/\s+/g, ' ').trim().slice(0, 500);
    if (reason) this.actions.report(room, user, messageId, reason);
  }

  /** Shows a room (or the "pick a room" state when null). */
  showRoom(state: RoomState | null, summary: RoomSummary | null): void {
    const switched = (state?.name ?? null) !== this.shownRoom;
    this.shownRoom = state?.name ?? null;
    this.rulesPanel.showRoom(this.shownRoom);
    this.membersPanel.showRoom(this.shownRoom, state !== null && (this.options.isPrivateRoom?.(state.name) ?? false));
    this.root.classList.toggle('no-room', state === null);
    if (switched) {
      this.messageList.clear();
      this.typingLine.textContent = '';
      this.composer.showError(null);
    }
    if (state === null) {
      this.roomTitle.textContent = 'Welcome';
      this.roomTopic.textContent = 'Pick a room on the left, or create one.';
      this.leaveButton.hidden = true;
      this.peopleToggle.hidden = true;
      this.olderStatus.textContent = '';
      this.emptyState.textContent = 'No room open.';
      this.composer.setEnabled(false, 'Open a room to chat');
      this.roomRules.textContent = '';
      replaceChildren(this.peopleList);
      return;
    }
    if (this.options.readOnly) this.composer.setEnabled(false, this.options.readOnly);
    else this.composer.setEnabled(true);
    this.renderRules(state, summary);
    this.roomTitle.textContent = this.options.roomLabel?.(state.name) ?? `# ${state.name}`;
    this.roomTopic.textContent = summary?.topic ?? '';
    this.leaveButton.hidden = !state.joined;
    this.peopleToggle.hidden = false;
    this.renderMessages(state, switched ? 'bottom' : 'auto');
    this.renderPresence(state);
    if (switched) this.composer.focus();
  }

  /**
   * Re-renders the message log. `auto` keeps the reader where they are: at the bottom it follows
   * new messages; further up it stays put and offers a jump button.
   */
  renderMessages(state: RoomState, scroll: 'auto' | 'bottom' | 'prepend'): void {
    if (state.name !== this.shownRoom) return;
    const el = this.scroller;
    const wasNearBottom = this.stick;
    const oldHeight = el.scrollHeight;
    const oldTop = el.scrollTop;

    this.messageList.render(state.messages, state.pending, state.streams.active(Date.now()));
    this.olderStatus.textContent = state.loadingOlder ? 'Loading older messages…'
      : state.hasOlder ? '' : state.messages.length > 0 ? 'This is the start of the room.' : '';
    this.emptyState.textContent = state.messages.length === 0 && state.pending.length === 0 && !state.loadingOlder
      ? (state.joined ? 'No messages yet. Say hello!' : 'Joining…') : '';

    if (scroll === 'bottom' || (scroll === 'auto' && wasNearBottom)) {
      this.scrollToBottom(false);
    } else if (scroll === 'prepend') {
      el.scrollTop = oldTop + (el.scrollHeight - oldHeight);
    } else if (el.scrollHeight > oldHeight) {
      this.jumpButton.hidden = false;
    }
    // A short list leaves no room to scroll up, so fetch more right away.
    if (state.hasOlder && !state.loadingOlder && state.joined && el.scrollHeight <= el.clientHeight + nearTopPx) {
      queueMicrotask(() => this.actions.loadOlder());
    }
  }

  /** Slow mode and lock, said before anyone runs into them. */
  renderRules(state: RoomState, summary: RoomSummary | null): void {
    if (state.name !== this.shownRoom) return;
    const locked = summary?.locked ?? state.locked;
    const slow = summary?.slowModeSeconds ?? state.slowModeSeconds;
    const rules: string[] = [];
    if (this.options.readOnly) rules.push(this.options.readOnly);
    if (locked) rules.push('This room is locked: only moderators can post.');
    if (slow > 0) rules.push(`Slow mode: one message every ${slow} s.`);
    this.roomRules.textContent = rules.join(' ');
  }

  renderPresence(state: RoomState): void {
    if (state.name !== this.shownRoom) return;
    const people = [...state.present.entries()].sort((a, b) => a[1].localeCompare(b[1]));
    this.peopleTitle.textContent = `In this room (${state.presentCount})`;
    replaceChildren(this.peopleToggle, h('span', { class: 'present-count' }, `${state.presentCount} here`));
    replaceChildren(this.peopleList, ...people.map(([id, name]) => {
      const avatar = h('span', { class: 'avatar small', attrs: { 'aria-hidden': 'true' } }, initial(name));
      avatar.style.setProperty('--hue', String(hueFor(id)));
      return h('li', { class: `person${id === this.me.id ? ' me' : ''}`, testid: 'presence-item', dataset: { userId: id } },
        avatar, h('span', { class: 'person-name' }, name),
        id === this.me.id ? h('span', { class: 'muted' }, ' (you)') : this.options.account ? this.personButtons({ id, name }, state.name, null) : null);
    }));
  }

  renderTyping(text: string): void {
    this.typingLine.textContent = text;
  }

  setConnection(status: ConnectionStatus): void {
    this.root.dataset.connection = status;
    const show = status === 'reconnecting' || status === 'disconnected';
    this.banner.hidden = !show;
    this.banner.dataset.status = status;
    this.bannerText.textContent = status === 'reconnecting' ? 'Reconnecting…' : 'Disconnected. Trying again shortly.';
    this.bannerAction.hidden = status !== 'disconnected';
  }

  /** A passing notice (system events, reconnect gaps); it fades after a while or on click. */
  showNotice(text: string): void {
    const notice = h('div', { class: 'notice', testid: 'system-notice', attrs: { role: 'status' } },
      h('span', null, text),
      h('button', { class: 'icon-button', attrs: { type: 'button', 'aria-label': 'Dismiss' }, on: { click: () => notice.remove() } }, '×'));
    this.notices.append(notice);
    while (this.notices.childElementCount > 3) this.notices.firstElementChild?.remove();
    window.setTimeout(() => notice.remove(), 15_000);
  }

  isAtBottom(): boolean {
    const el = this.scroller;
    return el.scrollHeight - el.scrollTop - el.clientHeight < nearBottomPx;
  }

  private scrollToBottom(smooth: boolean): void {
    this.stick = true;
    this.scroller.scrollTo({ top: this.scroller.scrollHeight, behavior: smooth ? 'smooth' : 'instant' });
    this.jumpButton.hidden = true;
    this.actions.scrolledToBottom();
  }

  private onScroll(): void {
    this.stick = this.isAtBottom();
    if (this.scroller.scrollTop < nearTopPx) this.actions.loadOlder();
    if (this.stick) {
      this.jumpButton.hidden = true;
      this.actions.scrolledToBottom();
    }
  }

  /** Escape closes the side panels; Alt+↑/↓ moves to the previous/next room. */
  private onKeyDown(e: KeyboardEvent): void {
    if (e.key === 'Escape') {
      this.closePanels();
    } else if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown') && this.roomOrder.length > 0) {
      e.preventDefault();
      const index = this.shownRoom ? this.roomOrder.indexOf(this.shownRoom) : -1;
      const step = e.key === 'ArrowUp' ? -1 : 1;
      const next = this.roomOrder[(index + step + this.roomOrder.length) % this.roomOrder.length];
      if (next) this.actions.openRoom(next);
    }
  }

  private toggle(cls: 'sidebar-open' | 'people-open'): void {
    const other = cls === 'sidebar-open' ? 'people-open' : 'sidebar-open';
    this.root.classList.remove(other);
    this.root.classList.toggle(cls);
  }

  private closePanels(): void {
    this.root.classList.remove('sidebar-open', 'people-open');
  }
}
