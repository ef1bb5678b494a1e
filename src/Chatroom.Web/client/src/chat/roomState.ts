import type { ChatError } from '../lib/errors';
import { AgentStreams } from '../lib/agentStreams';
import { applyLiveMessage, hideMessage, lastId, mergeMessages } from '../lib/messages';
import { TypingTracker } from '../lib/typing';
import type { ChatMessage, JoinResult, SendAck, User, UserRef } from '../types';

/** A message the server has not acknowledged yet. Retries reuse its clientMessageId. */
export interface PendingMessage {
  clientMessageId: string;
  text: string;
  /** sending: in flight; waiting: will go when the connection is back; failed: refused, needs a person. */
  status: 'sending' | 'waiting' | 'failed';
  error: ChatError | null;
}

/** What the client knows about one room it has joined (or is looking at). */
export class RoomState {
  messages: readonly ChatMessage[] = [];
  readonly present = new Map<string, string>();
  presentCount = 0;
  pending: PendingMessage[] = [];
  readonly typing = new TypingTracker();
  readonly streams = new AgentStreams();
  /** Room rules from the server, shown above the composer. */
  slowModeSeconds = 0;
  locked = false;
  joined = false;
  /** Older messages may exist on the server (loaded with GET …/messages?before=). */
  hasOlder = true;
  loadingOlder = false;
  /** Set when a reconnect skipped more messages than the server returns at once. */
  gapNotice = false;

  constructor(readonly name: string) {}

  get lastSeenId(): number | null {
    return lastId(this.messages);
  }

  /**
   * Applies a JoinRoom answer. On a reconnect the list keeps what it had and gains `missed` and
   * `history`, each message once. When the server truncated `missed`, the local list would have a
   * hole, so it restarts from `history` and the older ones come back by scrolling up.
   */
  applyJoin(result: JoinResult): void {
    this.joined = true;
    if (result.missedTruncated) {
      this.messages = mergeMessages([], result.history);
      this.hasOlder = true;
      this.gapNotice = true;
    } else {
      const before = this.messages.length;
      this.messages = mergeMessages(mergeMessages(this.messages, result.missed), result.history);
      if (before === 0 && result.history.length === 0) this.hasOlder = false;
    }
    if (result.slowModeSeconds !== undefined) this.slowModeSeconds = result.slowModeSeconds;
    if (result.locked !== undefined) this.locked = result.locked;
    this.present.clear();
    for (const user of result.present) this.present.set(user.id, user.name);
    this.presentCount = this.present.size;
    for (const m of this.messages) this.settlePending(m);
  }

  /** Adds live messages (a known id replaces the old copy: a restored message); returns true when the list changed. */
  addMessages(messages: readonly ChatMessage[]): boolean {
    let next = this.messages;
    for (const m of messages) next = applyLiveMessage(next, m);
    let changed = next !== this.messages;
    this.messages = next;
    for (const m of messages) {
      if (this.settlePending(m)) changed = true;
      if (this.streams.complete(m)) changed = true;
      if (m.kind === 'user') this.typing.stopped(m.authorId);
    }
    return changed;
  }

  /** Adds a page of older messages; `hasMore` says whether even older ones exist. */
  addOlder(messages: readonly ChatMessage[], hasMore: boolean): void {
    this.messages = mergeMessages(this.messages, messages);
    this.hasOlder = hasMore;
  }

  hide(id: number): boolean {
    const next = hideMessage(this.messages, id);
    const changed = next !== this.messages;
    this.messages = next;
    return changed;
  }

  presence(user: UserRef, action: 'joined' | 'left', count: number): void {
    if (action === 'joined') this.present.set(user.id, user.name);
    else {
      this.present.delete(user.id);
      this.typing.stopped(user.id);
    }
    this.presentCount = count;
  }

  addPending(clientMessageId: string, text: string): PendingMessage {
    const pending: PendingMessage = { clientMessageId, text, status: 'sending', error: null };
    this.pending.push(pending);
    return pending;
  }

  findPending(clientMessageId: string): PendingMessage | undefined {
    return this.pending.find((p) => p.clientMessageId === clientMessageId);
  }

  removePending(clientMessageId: string): void {
    this.pending = this.pending.filter((p) => p.clientMessageId !== clientMessageId);
  }

  /** The server stored it: the message takes its place in the list, whichever of ack or event came first. */
  acknowledge(pending: PendingMessage, ack: SendAck, me: User): void {
    this.removePending(pending.clientMessageId);
    this.messages = mergeMessages(this.messages, [
      {
        room: this.name,
        id: ack.id,
        authorId: me.id,
        authorName: me.name,
        kind: 'user',
        text: pending.text,
        sentAt: ack.sentAt,
        clientMessageId: pending.clientMessageId,
        hidden: false,
      },
    ]);
  }

  private settlePending(message: ChatMessage): boolean {
    if (!message.clientMessageId || this.pending.length === 0) return false;
    const before = this.pending.length;
    this.pending = this.pending.filter((p) => p.clientMessageId !== message.clientMessageId);
    return this.pending.length !== before;
  }
}
