import { ApiError, type ApiClient } from '../api';
import { ChatHub, type RoomUpdatedEvent } from '../hub';
import { backoffCodes, parseHubError, transientCodes, waitMs } from '../lib/errors';
import { newClientMessageId } from '../lib/ids';
import { firstId } from '../lib/messages';
import { describeTyping, Throttle } from '../lib/typing';
import { UnreadCounter } from '../lib/unread';
import type { AgentDeltaEvent, ChatMessage, ClientConfig, MessageHiddenEvent, PresenceEvent, RoomSummary, Session, SystemEvent, TypingEvent } from '../types';
import { RoomState, type PendingMessage } from './roomState';
import { ChatView, type ChatViewActions, type ConnectionStatus } from './view';

export const maxMessageLength = 2000;
const typingIntervalMs = 2000;
const roomsRefreshMs = 30_000;
const olderPageSize = 50;
const olderRetryDelayMs = 5000;
const systemNoticeDelayMs = 750;

/** The chat screen's behaviour: rooms, membership, messages, presence, typing and the connection. */
export class ChatController implements ChatViewActions {
  private readonly view: ChatView;
  private readonly hub: ChatHub;
  private readonly rooms = new Map<string, RoomSummary>();
  /** Rooms this tab is in (joined on the server, or to be joined once connected). */
  private readonly states = new Map<string, RoomState>();
  private readonly unread = new UnreadCounter();
  private readonly typingThrottle = new Throttle(typingIntervalMs);
  private readonly olderFailedAt = new Map<string, number>();
  /** Rooms whose sends are paused after a rate-limit or slow-mode refusal, with the timer that resumes them. */
  private readonly backoff = new Map<string, number>();
  private active: string | null = null;
  private stopped = false;
  private typingTimer: number | undefined;
  private roomsTimer: number | undefined;
  private expiryTimer: number | undefined;
  private reconnectWake: (() => void) | null = null;

  constructor(
    private readonly session: Session,
    private readonly api: ApiClient,
    config: ClientConfig,
    private readonly onSignedOut: (reason: string | null) => void,
  ) {
    this.view = new ChatView(session.user, this, maxMessageLength);
    this.hub = new ChatHub(`${config.apiBase}${config.hubUrl}`, () => this.session.token, {
      message: (m) => this.onMessage(m),
      messageHidden: (e) => this.onMessageHidden(e),
      presence: (e) => this.onPresence(e),
      typing: (e) => this.onTyping(e),
      system: (e) => this.onSystem(e),
      agentDelta: (e) => this.onAgentDelta(e),
      roomUpdated: (e) => this.onRoomUpdated(e),
      roomCreated: () => void this.loadRooms(),
      reconnecting: () => this.onReconnecting(),
      reconnected: () => void this.onConnected(),
      closed: () => this.onClosed(),
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
    void this.connect();
    await this.loadRooms();
    this.roomsTimer = window.setInterval(() => void this.loadRooms(), roomsRefreshMs);

    const fromUrl = roomFromPath(location.pathname);
    const initial = fromUrl ?? (this.rooms.has('lobby') ? 'lobby' : this.rooms.keys().next().value ?? null);
    if (initial) this.openRoom(initial, fromUrl === null ? 'replace' : 'none');
  }

  // ----- actions from the view -----

  openRoom(name: string, history: 'push' | 'replace' | 'none' = 'push'): void {
    if (this.stopped) return;
    let state = this.states.get(name);
    if (!state) {
      state = new RoomState(name);
      this.states.set(name, state);
      if (this.hub.connected) void this.join(state);
    }
    this.active = name;
    const path = `/rooms/${name}`;
    if (history === 'push' && location.pathname !== path) window.history.pushState({ room: name }, '', path);
    if (history === 'replace') window.history.replaceState({ room: name }, '', path);
    this.unread.markRead(name, state.lastSeenId);
    this.view.showRoom(state, this.rooms.get(name) ?? null);
    this.updateTyping();
    this.renderRooms();
  }

  refreshRooms(): void {
    void this.loadRooms();
  }

  async createRoom(name: string, topic: string): Promise<string | null> {
    try {
      const room = await this.api.createRoom(name, topic || undefined);
      this.rooms.set(room.name, room);
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
    const state = this.states.get(name);
    if (!state) return;
    this.states.delete(name);
    this.unread.forget(name);
    if (this.hub.connected && state.joined) this.hub.leaveRoom(name).catch(() => undefined);
    if (this.active === name) {
      this.active = null;
      window.history.pushState({}, '', '/');
      this.view.showRoom(null, null);
      this.view.renderTyping('');
    }
    this.renderRooms();
  }

  send(text: string): void {
    const state = this.activeState();
    if (!state) return;
    const pending = state.addPending(newClientMessageId(), text);
    this.typingThrottle.reset();
    this.view.renderMessages(state, 'bottom');
    void this.deliver(state, pending);
  }

  typing(): void {
    const state = this.activeState();
    if (state?.joined && this.typingThrottle.tryFire()) this.hub.typing(state.name);
  }

  retry(clientMessageId: string): void {
    const state = this.activeState();
    const pending = state?.findPending(clientMessageId);
    if (state && pending) void this.deliver(state, pending);
  }

  discard(clientMessageId: string): void {
    const state = this.activeState();
    if (!state) return;
    state.removePending(clientMessageId);
    this.view.renderMessages(state, 'auto');
    this.view.composer.showError(null);
  }

  loadOlder(): void {
    const state = this.activeState();
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
    if (!this.active || document.visibilityState !== 'visible') return;
    const before = this.unread.count(this.active);
    this.unread.markRead(this.active, this.states.get(this.active)?.lastSeenId);
    if (before > 0) this.renderRooms();
  }

  reconnectNow(): void {
    this.reconnectWake?.();
  }

  signOut(reason: string | null = null): void {
    if (this.stopped) return;
    this.stopped = true;
    window.clearInterval(this.roomsTimer);
    window.clearTimeout(this.typingTimer);
    window.clearTimeout(this.expiryTimer);
    for (const timer of this.backoff.values()) window.clearTimeout(timer);
    window.removeEventListener('popstate', this.onPopState);
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.reconnectWake?.();
    void this.hub.stop();
    document.title = 'Chatroom';
    this.onSignedOut(reason);
  }

  // ----- connection -----

  private async connect(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await this.hub.start();
        await this.onConnected();
        return;
      } catch (error) {
        if (this.stopped) return;
        if (/\b401\b|Unauthorized/i.test(String(error))) {
          this.signOut('Your session has ended. Please sign in again.');
          return;
        }
        this.setStatus('disconnected');
        await this.sleep(Math.min(10_000, 1000 * 2 ** attempt));
      }
    }
  }

  private async onConnected(): Promise<void> {
    if (this.stopped) return;
    this.setStatus('connected');
    await Promise.all([...this.states.values()].map((state) => this.join(state)));
  }

  private onReconnecting(): void {
    for (const state of this.states.values()) state.joined = false;
    this.setStatus('reconnecting');
  }

  private onClosed(): void {
    if (this.stopped) return;
    for (const state of this.states.values()) state.joined = false;
    this.setStatus('disconnected');
    void this.connect();
  }

  private setStatus(status: ConnectionStatus): void {
    this.view.setConnection(status);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = window.setTimeout(done, ms);
      function done(): void {
        window.clearTimeout(timer);
        resolve();
      }
      this.reconnectWake = done;
    });
  }

  /** Joins (or re-joins after a reconnect) with the last id seen, so missed messages come back. */
  private async join(state: RoomState): Promise<void> {
    const seenBefore = state.lastSeenId;
    try {
      const result = await this.hub.joinRoom(state.name, seenBefore);
      if (this.states.get(state.name) !== state) return;
      state.applyJoin(result);
      const viewing = this.isViewing(state.name);
      if (seenBefore === null || viewing) {
        this.unread.markRead(state.name, state.lastSeenId);
      } else {
        for (const m of result.missed) this.unread.add(m, this.session.user.id, false);
      }
      if (result.missedTruncated && seenBefore !== null) {
        this.view.showNotice(`You missed many messages in #${state.name} while away. Scroll up to read them.`);
      }
      const summary = this.rooms.get(state.name);
      if (summary) summary.present = state.presentCount;
      this.renderRooms();
      if (this.active === state.name) {
        this.view.showRoom(state, summary ?? null);
        this.view.renderMessages(state, seenBefore === null ? 'bottom' : 'auto');
      }
      await this.flushWaiting(state);
    } catch (error) {
      const problem = parseHubError(error);
      if (transientCodes.has(problem.code)) return;
      this.states.delete(state.name);
      if (this.active === state.name) {
        this.active = null;
        window.history.replaceState({}, '', '/');
        this.view.showRoom(null, null);
      }
      this.view.showNotice(`Could not join #${state.name}. ${problem.message}`);
      if (problem.code === 'unknown_room') await this.loadRooms();
      this.renderRooms();
    }
  }

  private async flushWaiting(state: RoomState): Promise<void> {
    for (const pending of state.pending.filter((p) => p.status === 'waiting')) {
      await this.deliver(state, pending);
    }
  }

  /** Sends a pending message; a retry reuses the same clientMessageId, so the server stores it once. */
  private async deliver(state: RoomState, pending: PendingMessage): Promise<void> {
    if (!this.hub.connected || !state.joined || this.backoff.has(state.name)) {
      pending.status = 'waiting';
      this.view.renderMessages(state, 'auto');
      return;
    }
    pending.status = 'sending';
    pending.error = null;
    this.view.renderMessages(state, 'auto');
    try {
      const ack = await this.hub.sendMessage(state.name, pending.text, pending.clientMessageId);
      state.acknowledge(pending, ack, this.session.user);
      if (this.isViewing(state.name)) this.unread.markRead(state.name, state.lastSeenId);
      if (this.active === state.name) this.view.composer.showError(null);
    } catch (error) {
      const problem = parseHubError(error);
      pending.error = problem;
      // The room's rules changed under us: show them above the composer.
      if (problem.code === 'slow_mode' || problem.code === 'room_locked') void this.loadRooms();
      if (transientCodes.has(problem.code)) {
        pending.status = 'waiting';
      } else if (backoffCodes.has(problem.code)) {
        // The server asked for a pause: hold this and later messages, then send them in order.
        pending.status = 'waiting';
        if (this.active === state.name) this.view.composer.showError(problem.message);
        if (!this.backoff.has(state.name)) {
          this.backoff.set(state.name, window.setTimeout(() => {
            this.backoff.delete(state.name);
            if (this.states.get(state.name) === state) void this.flushWaiting(state);
          }, waitMs(problem)));
        }
      } else if (problem.code === 'not_member') {
        // The server forgot this connection's membership (e.g. it restarted); join again, then resend.
        pending.status = 'waiting';
        state.joined = false;
        void this.join(state);
      } else {
        pending.status = 'failed';
        if (this.active === state.name) this.view.composer.showError(problem.message);
      }
    }
    this.view.renderMessages(state, 'auto');
  }

  // ----- events from the hub -----

  private onMessage(message: ChatMessage): void {
    const state = this.states.get(message.room);
    if (!state) return;
    const changed = state.addMessages([message]);
    if (this.unread.add(message, this.session.user.id, this.isViewing(message.room))) this.renderRooms();
    if (this.active === message.room) {
      if (changed) this.view.renderMessages(state, 'auto');
      this.updateTyping();
    }
  }

  private onAgentDelta(event: AgentDeltaEvent): void {
    const state = this.states.get(event.room);
    if (!state) return;
    state.streams.add(event, Date.now());
    if (this.active === event.room) this.view.renderMessages(state, 'auto');
  }

  private onRoomUpdated(event: RoomUpdatedEvent): void {
    const summary = this.rooms.get(event.room);
    if (summary) {
      summary.slowModeSeconds = event.slowModeSeconds;
      summary.locked = event.locked;
    }
    const state = this.states.get(event.room);
    if (state) {
      state.slowModeSeconds = event.slowModeSeconds;
      state.locked = event.locked;
      if (this.active === event.room) this.view.renderRules(state, summary ?? null);
    }
  }

  private onMessageHidden(event: MessageHiddenEvent): void {
    const state = this.states.get(event.room);
    if (state?.hide(event.id) && this.active === event.room) this.view.renderMessages(state, 'auto');
  }

  private onPresence(event: PresenceEvent): void {
    const summary = this.rooms.get(event.room);
    if (summary) summary.present = event.count;
    const state = this.states.get(event.room);
    if (state) {
      state.presence(event.user, event.action, event.count);
      if (this.active === event.room) {
        this.view.renderPresence(state);
        this.updateTyping();
      }
    }
    this.renderRooms();
  }

  private onTyping(event: TypingEvent): void {
    if (event.user.id === this.session.user.id) return;
    const state = this.states.get(event.room);
    if (!state) return;
    state.typing.seen(event.user, Date.now());
    if (this.active === event.room) this.updateTyping();
  }

  private onSystem(event: SystemEvent): void {
    // A broadcast is also stored as a system message in every room; when that copy reached an open
    // room the notice would only repeat it. The two travel separately, so look a moment later.
    window.setTimeout(() => {
      if (this.stopped || this.shownAsMessage(event)) return;
      const prefix = event.room && event.room !== this.active ? `#${event.room}: ` : '';
      this.view.showNotice(`${prefix}${event.text}`);
    }, systemNoticeDelayMs);
  }

  private shownAsMessage(event: SystemEvent): boolean {
    const state = this.activeState();
    if (!state || (event.room !== null && event.room !== state.name)) return false;
    const recent = Date.now() - 60_000;
    for (let i = state.messages.length - 1; i >= 0 && i >= state.messages.length - 20; i--) {
      const m = state.messages[i]!;
      if (m.kind === 'system' && m.text === event.text && Date.parse(m.sentAt) >= recent) return true;
    }
    return false;
  }

  // ----- helpers -----

  private async loadRooms(): Promise<void> {
    try {
      const rooms = await this.api.listRooms();
      this.rooms.clear();
      for (const room of [...rooms].sort((a, b) => a.name.localeCompare(b.name))) {
        const state = this.states.get(room.name);
        if (state?.joined) room.present = state.presentCount;
        this.rooms.set(room.name, room);
      }
      this.renderRooms();
      const active = this.activeState();
      if (active) this.view.renderRules(active, this.rooms.get(active.name) ?? null);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.signOut('Your session has ended. Please sign in again.');
    }
  }

  private renderRooms(): void {
    if (this.stopped) return;
    const list = [...this.rooms.values()];
    for (const name of this.states.keys()) {
      if (!this.rooms.has(name)) list.push({ name, topic: null, createdAt: '', present: this.states.get(name)!.presentCount });
    }
    this.view.renderRooms(list, this.active, new Set(this.states.keys()), (room) => this.unread.count(room));
    const total = this.unread.total();
    document.title = `${total > 0 ? `(${total}) ` : ''}${this.active ? `#${this.active} · ` : ''}Chatroom`;
  }

  private updateTyping(): void {
    window.clearTimeout(this.typingTimer);
    const state = this.activeState();
    if (!state) {
      this.view.renderTyping('');
      return;
    }
    const now = Date.now();
    this.view.renderTyping(describeTyping(state.typing.active(now)));
    const next = state.typing.nextExpiry();
    if (next !== null) this.typingTimer = window.setTimeout(() => this.updateTyping(), Math.max(50, next - now + 10));
  }

  private activeState(): RoomState | null {
    return this.active ? this.states.get(this.active) ?? null : null;
  }

  private isViewing(room: string): boolean {
    return this.active === room && document.visibilityState === 'visible' && this.view.isAtBottom();
  }

  private scheduleExpiry(): void {
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
