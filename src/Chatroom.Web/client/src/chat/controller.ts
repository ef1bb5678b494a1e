import { ApiError, type ApiClient } from '../api';
import { ChatHub, type RoomUpdatedEvent } from '../hub';
import { accountClosure, parseHubError, transientCodes } from '../lib/errors';
import { newClientMessageId } from '../lib/ids';
import { firstId } from '../lib/messages';
import type { SessionKeeper } from '../sessionKeeper';
import type { AgentDeltaEvent, AppealView, BlockListView, ChatMessage, ClientConfig, ConversationRequestEvent, MessageHiddenEvent, PresenceEvent, RoomInviteEvent, RoomMemberView, RoomRulesView, Session, SystemEvent, TypingEvent, UserRef } from '../types';
import { ConversationList } from './conversations';
import { ConnectionKeeper } from './connection';
import type { RoomState } from './roomState';
import { RoomDirectory } from './rooms';
import { SendQueue } from './sendQueue';
import { TypingIndicator } from './typingIndicator';
import { ChatView, type ChatViewActions } from './view';

export const maxMessageLength = 2000;
const roomsRefreshMs = 30_000;
const olderPageSize = 50;
const olderRetryDelayMs = 5000;
const systemNoticeDelayMs = 750;

/**
 * The chat screen: wires the view's actions and the hub's events to the parts that hold the state — the connection
 * (`connection.ts`), the rooms this tab is in (`rooms.ts`), the send queue with its back-off (`sendQueue.ts`) and the
 * typing line (`typingIndicator.ts`) — and draws what changed. Browser concerns (URL, history, visibility, title)
 * stay here.
 */
export class ChatController implements ChatViewActions {
  private readonly view: ChatView;
  private readonly hub: ChatHub;
  private readonly rooms: RoomDirectory;
  private readonly conversations: ConversationList;
  private readonly connection: ConnectionKeeper;
  private readonly sends: SendQueue;
  private readonly typingLine: TypingIndicator;
  private readonly olderFailedAt = new Map<string, number>();
  /** The read marker sent per conversation: scrolling at the bottom fires often, the server hears each id once. */
  private readonly readMarkers = new Map<string, number>();
  private stopped = false;
  private roomsTimer: number | undefined;
  private expiryTimer: number | undefined;
  /** The access token the hub last connected with: a 401 names it when asking the keeper for a new one. */
  private hubToken = '';
  /** One renewal per connect: a token refused right after renewal means the account itself was shut out. */
  private renewedOnConnect = false;

  constructor(
    private readonly session: Session,
    private readonly api: ApiClient,
    config: ClientConfig,
    private readonly onSignedOut: (reason: string | null) => void,
    /** Keeps the session's tokens: an account's are renewed as they expire; a guest's last until they expire. */
    private readonly keeper: SessionKeeper,
    /** The sentence for a guest who may read but not post; null otherwise. */
    readOnly: string | null = null,
  ) {
    this.conversations = new ConversationList(session.user.id);
    this.view = new ChatView(session.user, this, maxMessageLength, {
      account: !!session.refreshToken,
      readOnly,
      roomLabel: (room) => this.conversations.label(room),
      isPrivateRoom: (room) => this.conversations.isPrivateRoom(room),
    });
    this.rooms = new RoomDirectory(session.user.id);
    this.typingLine = new TypingIndicator(() => this.rooms.activeState, (text) => this.view.renderTyping(text));
    this.connection = new ConnectionKeeper({
      start: () => this.hub.start(),
      connected: async () => {
        await Promise.all([...this.rooms.memberships].map((state) => this.join(state)));
      },
      lost: () => this.rooms.disconnected(),
      status: (status) => {
        if (status === 'connected') this.renewedOnConnect = false;
        this.view.setConnection(status);
      },
      renewToken: async () => {
        if (!this.session.refreshToken || this.renewedOnConnect) return false;
        this.renewedOnConnect = true;
        return (await this.keeper.renew(this.hubToken)) === 'renewed';
      },
      unauthorized: () => this.signOut('Your session has ended. Please sign in again.'),
    });
    // Asked before every connect and reconnect: an account's expired token is renewed first.
    this.hub = new ChatHub(`${config.apiBase}${config.hubUrl}`, async () => (this.hubToken = await this.keeper.freshToken()), {
      message: (m) => this.onMessage(m),
      messageHidden: (e) => this.onMessageHidden(e),
      presence: (e) => this.onPresence(e),
      typing: (e) => this.onTyping(e),
      system: (e) => this.onSystem(e),
      agentDelta: (e) => this.onAgentDelta(e),
      roomUpdated: (e) => this.onRoomUpdated(e),
      roomCreated: () => void this.loadRooms(),
      conversationRequest: (e) => this.onConversationRequest(e),
      roomInvite: (e) => this.onRoomInvite(e),
      reconnecting: () => this.connection.reconnecting(),
      reconnected: () => void this.connection.connected(),
      closed: (error) => {
        // The server closed an account's socket for good (banned, disabled, signed out everywhere): say why, no reconnect.
        const closure = accountClosure(error);
        if (closure) this.signOut(closure.message);
        else this.connection.closed();
      },
    });
    this.sends = new SendQueue(this.hub, session.user, {
      changed: (state) => this.view.renderMessages(state, 'auto'),
      delivered: (state) => {
        if (this.isViewing(state.name)) this.markRead(state.name);
        if (this.rooms.active === state.name) this.view.composer.showError(null);
      },
      refused: (state, message) => {
        if (this.rooms.active === state.name) this.view.composer.showError(message);
      },
      rulesChanged: () => void this.loadRooms(),
      rejoin: (state) => void this.join(state),
      isCurrent: (state) => this.rooms.isCurrent(state),
    });
  }

  get element(): HTMLElement {
    return this.view.root;
  }

  async start(): Promise<void> {
    window.addEventListener('popstate', this.onPopState);
    document.addEventListener('visibilitychange', this.onVisibility);
    this.scheduleExpiry();
    this.view.setConnection('connecting');
    void this.connection.connect();
    await Promise.all([this.loadRooms(), this.loadConversations()]);
    this.roomsTimer = window.setInterval(() => this.refreshRooms(), roomsRefreshMs);

    const fromUrl = roomFromPath(location.pathname);
    const initial = fromUrl ?? this.rooms.defaultRoom();
    if (initial) this.openRoom(initial, fromUrl === null ? 'replace' : 'none');
  }

  // ----- actions from the view -----

  openRoom(name: string, history: 'push' | 'replace' | 'none' = 'push'): void {
    if (this.stopped) return;
    const { state, created } = this.rooms.open(name);
    if (created && this.hub.connected) void this.join(state);
    const path = `/rooms/${name}`;
    if (history === 'push' && location.pathname !== path) window.history.pushState({ room: name }, '', path);
    if (history === 'replace') window.history.replaceState({ room: name }, '', path);
    this.view.showRoom(state, this.rooms.summary(name));
    this.view.renderSafety(this.conversations.safetyFor(name));
    this.markRead(name);
    this.typingLine.update();
    this.renderRooms();
  }

  openDirect(user: UserRef): void {
    if (user.id === this.session.user.id) return;
    this.hub
      .openDirect(user.id)
      .then((room) => {
        this.conversations.opened(room, user);
        this.openRoom(room);
        void this.loadConversations();
      })
      .catch((error: unknown) => this.view.showNotice(`Could not message ${user.name}. ${parseHubError(error).message}`));
  }

  acceptRequest(room: string): void {
    this.hub
      .acceptRequest(room)
      .then(() => {
        this.conversations.answered(room, true);
        this.openRoom(room);
        void this.loadConversations();
      })
      .catch((error: unknown) => this.requestFailed(room, error));
  }

  declineRequest(room: string): void {
    this.hub
      .declineRequest(room)
      .then(() => {
        this.conversations.answered(room, false);
        this.renderRooms();
      })
      .catch((error: unknown) => this.requestFailed(room, error));
  }

  block(user: UserRef): void {
    this.api
      .block(user.id)
      .then(() => this.view.showNotice(`You blocked ${user.name}. They cannot message you or invite you.`))
      .catch((error: unknown) => this.view.showNotice(`Could not block ${user.name}. ${errorMessage(error)}`));
  }

  members(room: string): Promise<RoomMemberView[]> {
    return this.api.members(room);
  }

  invite(room: string, userName: string): Promise<void> {
    return this.api.invite(room, userName);
  }

  /** The server tells the removed person (this one, when leaving) with a `member_removed` notice, handled in onSystem. */
  removeMember(room: string, userId: string): Promise<void> {
    return this.api.removeMember(room, userId);
  }

  blocks(): Promise<BlockListView> {
    return this.api.blocks();
  }

  unblock(userId: string): Promise<void> {
    return this.api.unblock(userId);
  }

  report(room: string, user: UserRef, messageId: number | null, reason: string): void {
    this.api
      .report(messageId === null ? { room, userId: user.id, reason } : { room, messageId, reason })
      .then(() => this.view.showNotice('Thank you: a moderator will look at your report.'))
      .catch((error: unknown) => this.view.showNotice(`Could not send the report. ${errorMessage(error)}`));
  }

  refreshRooms(): void {
    void this.loadRooms();
    void this.loadConversations();
  }

  async createRoom(name: string, topic: string, privateRoom = false): Promise<string | null> {
    try {
      const room = await this.api.createRoom(name, topic || undefined, privateRoom ? 'private' : 'public');
      if (privateRoom) await this.loadConversations();
      else this.rooms.added(room);
      this.renderRooms();
      this.openRoom(room.name);
      return null;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 409 || error.code === 'room_exists')) {
        await this.loadRooms();
        this.openRoom(name);
        return null;
      }
      return error instanceof ApiError ? error.message : 'Could not create the room.';
    }
  }

  leaveRoom(name: string): void {
    const { state, wasOpen } = this.rooms.leave(name);
    if (!state) return;
    if (this.hub.connected && state.joined) this.hub.leaveRoom(name).catch(() => undefined);
    if (wasOpen) {
      window.history.pushState({}, '', '/');
      this.view.showRoom(null, null);
      this.view.renderTyping('');
    }
    this.renderRooms();
  }

  send(text: string): void {
    const state = this.rooms.activeState;
    if (!state) return;
    const pending = state.addPending(newClientMessageId(), text);
    this.typingLine.sent();
    this.view.renderMessages(state, 'bottom');
    void this.sends.send(state, pending);
  }

  typing(): void {
    const state = this.rooms.activeState;
    if (state?.joined && this.typingLine.keystroke()) this.hub.typing(state.name);
  }

  rules(room: string): Promise<RoomRulesView> {
    return this.api.roomRules(room);
  }

  appeal(room: string, messageId: number, reason: string): Promise<AppealView> {
    return this.api.appeal(room, messageId, reason);
  }

  appealStatus(room: string, messageId: number): Promise<AppealView> {
    return this.api.appealStatus(room, messageId);
  }

  retry(clientMessageId: string): void {
    const state = this.rooms.activeState;
    const pending = state?.findPending(clientMessageId);
    if (state && pending) void this.sends.send(state, pending);
  }

  discard(clientMessageId: string): void {
    const state = this.rooms.activeState;
    if (!state) return;
    state.removePending(clientMessageId);
    this.view.renderMessages(state, 'auto');
    this.view.composer.showError(null);
  }

  loadOlder(): void {
    const state = this.rooms.activeState;
    if (!state || !state.joined || !state.hasOlder || state.loadingOlder) return;
    const failedAt = this.olderFailedAt.get(state.name);
    if (failedAt !== undefined && Date.now() - failedAt < olderRetryDelayMs) return;
    const before = firstId(state.messages);
    if (before === null) return;
    state.loadingOlder = true;
    this.view.renderMessages(state, 'prepend');
    this.api
      .messages(state.name, { before, limit: olderPageSize })
      .then((page) => {
        state.addOlder(page.messages, page.hasMore && page.messages.length > 0);
        this.olderFailedAt.delete(state.name);
      })
      .catch((error: unknown) => {
        this.olderFailedAt.set(state.name, Date.now());
        if (error instanceof ApiError) this.view.showNotice(`Could not load older messages. ${error.message}`);
      })
      .finally(() => {
        state.loadingOlder = false;
        this.view.renderMessages(state, 'prepend');
      });
  }

  scrolledToBottom(): void {
    const active = this.rooms.active;
    if (!active || document.visibilityState !== 'visible') return;
    const before = this.rooms.unread.count(active) + this.conversations.unread(active);
    this.markRead(active);
    if (before > 0) this.renderRooms();
  }

  reconnectNow(): void {
    this.connection.retryNow();
  }

  signOut(reason: string | null = null): void {
    if (this.stopped) return;
    this.stopped = true;
    window.clearInterval(this.roomsTimer);
    window.clearTimeout(this.expiryTimer);
    this.typingLine.stop();
    this.sends.stop();
    window.removeEventListener('popstate', this.onPopState);
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.connection.stop();
    void this.hub.stop();
    document.title = 'Chatroom';
    this.onSignedOut(reason);
  }

  // ----- membership -----

  /** Joins (or re-joins after a reconnect) with the last id seen, so missed messages come back. */
  private async join(state: RoomState): Promise<void> {
    const seenBefore = state.lastSeenId;
    try {
      const result = await this.hub.joinRoom(state.name, seenBefore);
      if (!this.rooms.isCurrent(state)) return;
      const notice = this.rooms.joined(state, result, seenBefore, this.isViewing(state.name));
      if (notice) this.view.showNotice(notice);
      this.renderRooms();
      if (this.rooms.active === state.name) {
        this.view.showRoom(state, this.rooms.summary(state.name));
        this.view.renderMessages(state, seenBefore === null ? 'bottom' : 'auto');
      }
      await this.sends.flush(state);
    } catch (error) {
      const problem = parseHubError(error);
      if (transientCodes.has(problem.code)) return;
      if (this.rooms.refused(state.name)) {
        window.history.replaceState({}, '', '/');
        this.view.showRoom(null, null);
      }
      this.view.showNotice(`Could not join #${state.name}. ${problem.message}`);
      if (problem.code === 'unknown_room') await this.loadRooms();
      this.renderRooms();
    }
  }

  // ----- events from the hub -----

  private onMessage(message: ChatMessage): void {
    const state = this.rooms.state(message.room);
    if (!state) return;
    const changed = state.addMessages([message]);
    const viewing = this.isViewing(message.room);
    const counted = this.rooms.received(message, viewing);
    if (this.conversations.received(message, viewing) || counted) this.renderRooms();
    if (viewing) this.markRead(message.room);
    if (this.rooms.active === message.room) {
      if (changed) this.view.renderMessages(state, 'auto');
      this.typingLine.update();
    }
  }

  private onAgentDelta(event: AgentDeltaEvent): void {
    const state = this.rooms.state(event.room);
    if (!state) return;
    state.streams.add(event, Date.now());
    if (this.rooms.active === event.room) this.view.renderMessages(state, 'auto');
  }

  private onRoomUpdated(event: RoomUpdatedEvent): void {
    const state = this.rooms.rulesChanged(event);
    if (state && this.rooms.active === event.room) this.view.renderRules(state, this.rooms.summary(event.room));
  }

  private onMessageHidden(event: MessageHiddenEvent): void {
    const state = this.rooms.state(event.room);
    if (state?.hide(event.id) && this.rooms.active === event.room) this.view.renderMessages(state, 'auto');
  }

  private onPresence(event: PresenceEvent): void {
    const state = this.rooms.presence(event);
    if (state && this.rooms.active === event.room) {
      this.view.renderPresence(state);
      this.typingLine.update();
    }
    this.renderRooms();
  }

  private onTyping(event: TypingEvent): void {
    if (event.user.id === this.session.user.id) return;
    const state = this.rooms.state(event.room);
    if (!state) return;
    state.typing.seen(event.user, Date.now());
    if (this.rooms.active === event.room) this.typingLine.update();
  }

  private onSystem(event: SystemEvent): void {
    if (event.code === 'safety_notice' && event.room) {
      this.conversations.safetyNotice(event.room, event.text);
      if (this.rooms.active === event.room) this.view.renderSafety(event.text);
      return;
    }
    if (event.code === 'member_removed' && event.room) {
      this.conversations.removed(event.room);
      if (this.rooms.refused(event.room)) {
        window.history.replaceState({}, '', '/');
        this.view.showRoom(null, null);
        this.view.renderSafety(null);
      }
      this.renderRooms();
    }
    // A broadcast is also stored as a system message in every room; when that copy reached an open
    // room the notice would only repeat it. The two travel separately, so look a moment later.
    window.setTimeout(() => {
      if (this.stopped || this.shownAsMessage(event)) return;
      const prefix = event.room && event.room !== this.rooms.active ? `#${event.room}: ` : '';
      this.view.showNotice(`${prefix}${event.text}`);
    }, systemNoticeDelayMs);
  }

  private shownAsMessage(event: SystemEvent): boolean {
    const state = this.rooms.activeState;
    if (!state || (event.room !== null && event.room !== state.name)) return false;
    const recent = Date.now() - 60_000;
    for (let i = state.messages.length - 1; i >= 0 && i >= state.messages.length - 20; i--) {
      const m = state.messages[i]!;
      if (m.kind === 'system' && m.text === event.text && Date.parse(m.sentAt) >= recent) return true;
    }
    return false;
  }

  private onConversationRequest(event: ConversationRequestEvent): void {
    this.conversations.request(event);
    this.renderRooms();
    void this.loadConversations();
  }

  private onRoomInvite(event: RoomInviteEvent): void {
    this.conversations.invite(event);
    this.renderRooms();
    void this.loadConversations();
  }

  // ----- helpers -----

  /** Everything in the room has been seen: the tab's count, the conversation's, and the server's read marker. */
  private markRead(room: string): void {
    this.rooms.unread.markRead(room, this.rooms.state(room)?.lastSeenId);
    if (!this.conversations.has(room)) return;
    this.conversations.markRead(room);
    const last = this.rooms.state(room)?.lastSeenId;
    if (last == null || last <= (this.readMarkers.get(room) ?? 0)) return;
    this.readMarkers.set(room, last);
    this.hub.markRead(room, last);
  }

  private requestFailed(room: string, error: unknown): void {
    const problem = parseHubError(error);
    // Answered elsewhere (another tab, or it was withdrawn): the list catches up.
    if (problem.code === 'no_request') this.conversations.answered(room, false);
    this.view.showNotice(problem.message);
    this.renderRooms();
    void this.loadConversations();
  }

  private async loadConversations(): Promise<void> {
    // Guests have no private conversations (the server answers account_required).
    if (!this.session.refreshToken) return;
    try {
      this.conversations.setList(await this.api.conversations());
      this.renderRooms();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.signOut('Your session has ended. Please sign in again.');
    }
  }

  private async loadRooms(): Promise<void> {
    try {
      this.rooms.setList(await this.api.listRooms());
      this.renderRooms();
      const active = this.rooms.activeState;
      if (active) this.view.renderRules(active, this.rooms.summary(active.name));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.signOut('Your session has ended. Please sign in again.');
    }
  }

  private renderRooms(): void {
    if (this.stopped) return;
    const active = this.rooms.active;
    const publicRooms = this.rooms.list().filter((r) => !this.conversations.has(r.name));
    this.view.renderRooms(publicRooms, active, this.rooms.memberNames(), (room) => this.rooms.unread.count(room));
    this.view.renderConversations(this.conversations.list(), this.conversations.pendingRequests(), active);
    let total = this.conversations.total();
    for (const r of publicRooms) total += this.rooms.unread.count(r.name);
    const label = active ? this.conversations.label(active) ?? `#${active}` : null;
    document.title = `${total > 0 ? `(${total}) ` : ''}${label ? `${label} · ` : ''}Chatroom`;
  }

  private isViewing(room: string): boolean {
    return this.rooms.active === room && document.visibilityState === 'visible' && this.view.isAtBottom();
  }

  private scheduleExpiry(): void {
    // An account's session outlives its access tokens (the keeper renews them); a guest's ends with its token.
    if (this.session.refreshToken) return;
    const expires = Date.parse(this.session.expiresAt);
    if (Number.isNaN(expires)) return;
    // setTimeout overflows past ~24.8 days; tokens live far shorter, so clamping only guards odd values.
    const delay = Math.min(expires - Date.now(), 2 ** 31 - 1);
    this.expiryTimer = window.setTimeout(() => this.signOut('Your session has expired. Please sign in again.'), Math.max(0, delay));
  }

  private readonly onPopState = (): void => {
    const room = roomFromPath(location.pathname);
    if (room) this.openRoom(room, 'none');
  };

  private readonly onVisibility = (): void => {
    if (document.visibilityState === 'visible' && this.view.isAtBottom()) this.scrolledToBottom();
  };
}

/** `/rooms/<name>` → name. */
export function roomFromPath(path: string): string | null {
  const match = /^\/rooms\/([a-z0-9-]{1,64})\/?$/.exec(path);
  return match ? match[1]! : null;
}

function errorMessage(error: unknown): string {
  return error instanceof ApiError ? error.message : parseHubError(error).message;
}
