import type { RoomUpdatedEvent } from '../hub';
import { UnreadCounter } from '../lib/unread';
import type { ChatMessage, JoinResult, PresenceEvent, RoomSummary } from '../types';
import { RoomState } from './roomState';

/**
 * Which rooms exist (the server's list), which this tab is in (joined on the server, or to be joined once
 * connected), which one is open, and what is unread. No DOM and no connection: the controller asks and draws.
 */
export class RoomDirectory {
  private readonly summaries = new Map<string, RoomSummary>();
  /** Rooms this tab is in (joined on the server, or to be joined once connected). */
  private readonly states = new Map<string, RoomState>();
  readonly unread = new UnreadCounter();
  private openName: string | null = null;

  constructor(private readonly myUserId: string) {}

  /** The open room's name. */
  get active(): string | null {
    return this.openName;
  }

  get activeState(): RoomState | null {
    return this.openName ? this.states.get(this.openName) ?? null : null;
  }

  get memberships(): IterableIterator<RoomState> {
    return this.states.values();
  }

  has(name: string): boolean {
    return this.summaries.has(name);
  }

  summary(name: string): RoomSummary | null {
    return this.summaries.get(name) ?? null;
  }

  state(name: string): RoomState | undefined {
    return this.states.get(name);
  }

  /** The lobby when it exists, otherwise the first room by name. */
  defaultRoom(): string | null {
    return this.summaries.has('lobby') ? 'lobby' : this.summaries.keys().next().value ?? null;
  }

  /** Whether this state is still the tab's membership of its room (a room left and opened again has a new one). */
  isCurrent(state: RoomState): boolean {
    return this.states.get(state.name) === state;
  }

  /** Opens a room, becoming a member (not yet joined) the first time; `created` says the server must hear of it. */
  open(name: string): { state: RoomState; created: boolean } {
    let state = this.states.get(name);
    const created = !state;
    if (!state) {
      state = new RoomState(name);
      this.states.set(name, state);
    }
    this.openName = name;
    this.unread.markRead(name, state.lastSeenId);
    return { state, created };
  }

  /** Stops being a member; returns the state that was left (null when not a member) and whether it was open. */
  leave(name: string): { state: RoomState | null; wasOpen: boolean } {
    const state = this.states.get(name) ?? null;
    if (!state) return { state: null, wasOpen: false };
    this.states.delete(name);
    this.unread.forget(name);
    const wasOpen = this.openName === name;
    if (wasOpen) this.openName = null;
    return { state, wasOpen };
  }

  /** The server refused to let this tab in: no longer a member (its unread count stays); returns whether it was open. */
  refused(name: string): boolean {
    this.states.delete(name);
    const wasOpen = this.openName === name;
    if (wasOpen) this.openName = null;
    return wasOpen;
  }

  /** The connection dropped: no room is joined on the server any more (each is joined again on reconnect). */
  disconnected(): void {
    for (const state of this.states.values()) state.joined = false;
  }

  /**
   * Applies a join (or a re-join after a reconnect, with the last id seen before it) and does the bookkeeping of
   * what was missed meanwhile: a first join, or a room being looked at, is read; otherwise each missed message
   * counts as unread. Returns a notice when the server skipped more than it sends at once, since the list then has
   * a hole that scrolling up fills.
   */
  joined(state: RoomState, result: JoinResult, seenBefore: number | null, viewing: boolean): string | null {
    state.applyJoin(result);
    if (seenBefore === null || viewing) {
      this.unread.markRead(state.name, state.lastSeenId);
    } else {
      for (const m of result.missed) this.unread.add(m, this.myUserId, false);
    }
    const summary = this.summaries.get(state.name);
    if (summary) summary.present = state.presentCount;
    return result.missedTruncated && seenBefore !== null
      ? `You missed many messages in #${state.name} while away. Scroll up to read them.`
      : null;
  }

  /** A live message; returns true when the room's unread count changed. */
  received(message: ChatMessage, viewing: boolean): boolean {
    return this.unread.add(message, this.myUserId, viewing);
  }

  /** Replaces the server's room list; a room this tab has joined keeps the presence count it knows first-hand. */
  setList(rooms: readonly RoomSummary[]): void {
    this.summaries.clear();
    for (const room of [...rooms].sort((a, b) => a.name.localeCompare(b.name))) {
      const state = this.states.get(room.name);
      if (state?.joined) room.present = state.presentCount;
      this.summaries.set(room.name, room);
    }
  }

  /** A room the server just created for this person. */
  added(room: RoomSummary): void {
    this.summaries.set(room.name, room);
  }

  /** The list to draw: the server's rooms, then rooms this tab is in that the list does not show yet. */
  list(): RoomSummary[] {
    const list = [...this.summaries.values()];
    for (const [name, state] of this.states) {
      if (!this.summaries.has(name)) list.push({ name, topic: null, createdAt: '', present: state.presentCount });
    }
    return list;
  }

  memberNames(): Set<string> {
    return new Set(this.states.keys());
  }

  /** Slow mode or lock changed; returns the state of a room this tab is in, if any. */
  rulesChanged(event: RoomUpdatedEvent): RoomState | undefined {
    const summary = this.summaries.get(event.room);
    if (summary) {
      summary.slowModeSeconds = event.slowModeSeconds;
      summary.locked = event.locked;
    }
    const state = this.states.get(event.room);
    if (state) {
      state.slowModeSeconds = event.slowModeSeconds;
      state.locked = event.locked;
    }
    return state;
  }

  /** Someone joined or left; returns the state of a room this tab is in, if any. */
  presence(event: PresenceEvent): RoomState | undefined {
    const summary = this.summaries.get(event.room);
    if (summary) summary.present = event.count;
    const state = this.states.get(event.room);
    state?.presence(event.user, event.action, event.count);
    return state;
  }
}
