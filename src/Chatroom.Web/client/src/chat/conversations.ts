import type { ChatMessage, ConversationRequestEvent, ConversationSummary, RoomInviteEvent, UserRef } from '../types';

/** A request or invitation waiting for this person: shown with Accept, Decline and Report. */
export interface ConversationRequest {
  room: string;
  kind: 'direct' | 'invite';
  from: UserRef;
  /** The first message of a direct request (or a private room's topic); text, never HTML. */
  preview: string;
}

/** One line of the Conversations section. */
export interface ConversationEntry {
  room: string;
  label: string;
  unread: number;
  pending: boolean;
}

/**
 * The person's private and direct conversations: the server's list (`GET /api/conversations`) plus what live events
 * said since it was read. Unread counts start from the server's (which knows the read marker across tabs and
 * devices) and grow with each message newer than the last one the list knew; looking at a conversation clears it.
 */
export class ConversationList {
  private readonly entries = new Map<string, ConversationSummary>();
  private readonly requests = new Map<string, ConversationRequest>();
  private readonly names = new Map<string, string>();
  private readonly safety = new Map<string, string>();

  constructor(private readonly myUserId: string) {}

  has(room: string): boolean {
    return this.entries.has(room) || this.requests.has(room);
  }

  /** Replaces the list with the server's; requests it still marks pending stay, the others were answered. */
  setList(list: readonly ConversationSummary[]): void {
    this.entries.clear();
    const pending = new Set<string>();
    for (const c of list) {
      this.entries.set(c.room, { ...c });
      if (c.lastMessage && c.lastMessage.authorId !== this.myUserId) this.learn({ id: c.lastMessage.authorId, name: c.lastMessage.authorName });
      if (c.role !== 'pending') continue;
      pending.add(c.room);
      if (!this.requests.has(c.room)) {
        const author = c.lastMessage ? { id: c.lastMessage.authorId, name: c.lastMessage.authorName } : null;
        const from = author ?? (c.with ? { id: c.with, name: this.names.get(c.with) ?? 'Someone' } : { id: '', name: 'Someone' });
        this.requests.set(c.room, {
          room: c.room,
          kind: c.visibility === 'direct' ? 'direct' : 'invite',
          from,
          preview: c.visibility === 'direct' ? c.lastMessage?.preview ?? '' : c.topic ?? '',
        });
      }
    }
    for (const room of [...this.requests.keys()]) if (!pending.has(room)) this.requests.delete(room);
  }

  /** A person's display name, so a direct conversation can be called by the other person's name. */
  learn(user: UserRef): void {
    if (user.id && user.id !== this.myUserId) this.names.set(user.id, user.name);
  }

  /** This person opened a direct conversation with `user`: it belongs in the list before the server's next answer. */
  opened(room: string, user: UserRef): void {
    this.learn(user);
    if (this.entries.has(room)) return;
    this.entries.set(room, {
      room, visibility: 'direct', topic: null, role: 'member', with: user.id, members: 2, lastMessage: null, unread: 0,
    });
  }

  request(event: ConversationRequestEvent): void {
    this.learn(event.from);
    this.requests.set(event.room, { room: event.room, kind: 'direct', from: event.from, preview: event.preview });
  }

  invite(event: RoomInviteEvent): void {
    this.learn(event.from);
    this.requests.set(event.room, { room: event.room, kind: 'invite', from: event.from, preview: event.topic ?? '' });
  }

  /** The request was accepted or declined here: it stops showing; accepted, the room is a conversation like any. */
  answered(room: string, accepted: boolean): void {
    this.requests.delete(room);
    const entry = this.entries.get(room);
    if (!entry) return;
    if (accepted) entry.role = 'member';
    else this.entries.delete(room);
  }

  /** This person left or was removed from the room. */
  removed(room: string): void {
    this.entries.delete(room);
    this.requests.delete(room);
    this.safety.delete(room);
  }

  pendingRequests(): ConversationRequest[] {
    return [...this.requests.values()];
  }

  /** A live message; returns true when a conversation's unread count changed. */
  received(message: ChatMessage, viewing: boolean): boolean {
    const entry = this.entries.get(message.room);
    if (!entry) return false;
    if (entry.lastMessage && message.id <= entry.lastMessage.id) return false;
    entry.lastMessage = {
      id: message.id, authorId: message.authorId, authorName: message.authorName, preview: message.text.slice(0, 100), sentAt: message.sentAt,
    };
    if (message.authorId !== this.myUserId) this.learn({ id: message.authorId, name: message.authorName });
    if (viewing || message.authorId === this.myUserId || message.hidden || message.kind === 'system') return false;
    entry.unread = Math.min(entry.unread + 1, 100);
    return true;
  }

  markRead(room: string): void {
    const entry = this.entries.get(room);
    if (entry) entry.unread = 0;
  }

  unread(room: string): number {
    return this.entries.get(room)?.unread ?? 0;
  }

  total(): number {
    let sum = 0;
    for (const e of this.entries.values()) sum += e.unread;
    return sum;
  }

  /** The id of the newest message the list knows in a room (for MarkRead). */
  lastMessageId(room: string): number | null {
    return this.entries.get(room)?.lastMessage?.id ?? null;
  }

  /** A minor's first message from an adult: the room keeps a line saying so for as long as this tab is open. */
  safetyNotice(room: string, text: string): void {
    this.safety.set(room, text);
  }

  safetyFor(room: string): string | null {
    return this.safety.get(room) ?? null;
  }

  /** Whether the room is one of this person's private rooms (not a direct conversation, not a pending invitation). */
  isPrivateRoom(room: string): boolean {
    const entry = this.entries.get(room);
    return entry?.visibility === 'private' && entry.role !== 'pending';
  }

  /** How the room is called: the other person's name for a direct conversation, the room's name otherwise. */
  label(room: string): string | null {
    const entry = this.entries.get(room);
    const request = this.requests.get(room);
    if (!entry) return request ? (request.kind === 'direct' ? request.from.name : `#${room}`) : null;
    if (entry.visibility === 'private') return `#${room}`;
    const other = entry.with ? this.names.get(entry.with) : undefined;
    return other ?? request?.from.name ?? 'Direct conversation';
  }

  /** The other person of a direct conversation, when known. */
  partner(room: string): UserRef | null {
    const id = this.entries.get(room)?.with;
    return id ? { id, name: this.names.get(id) ?? 'this person' } : null;
  }

  /** The Conversations section, latest first; requests come first, since they wait for an answer. */
  list(): ConversationEntry[] {
    const sorted = [...this.entries.values()].sort((a, b) => (b.lastMessage?.sentAt ?? '').localeCompare(a.lastMessage?.sentAt ?? ''));
    const lines = sorted.map((e) => ({ room: e.room, label: this.label(e.room) ?? e.room, unread: e.unread, pending: this.requests.has(e.room) }));
    const pendingFirst = lines.filter((l) => l.pending).concat(lines.filter((l) => !l.pending));
    for (const r of this.requests.values()) {
      if (!this.entries.has(r.room)) pendingFirst.unshift({ room: r.room, label: this.label(r.room) ?? r.room, unread: 0, pending: true });
    }
    return pendingFirst;
  }
}
