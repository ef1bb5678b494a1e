import { backoffCodes, parseHubError, transientCodes, waitMs } from '../lib/errors';
import type { SendAck, User } from '../types';
import type { PendingMessage, RoomState } from './roomState';

/** The part of the hub that sends. */
export interface SendChannel {
  readonly connected: boolean;
  sendMessage(room: string, text: string, clientMessageId: string): Promise<SendAck>;
}

/** What the send queue tells the page. */
export interface SendQueueHooks {
  /** A pending message of the room changed status, or one became a stored message. */
  changed(state: RoomState): void;
  /** The server stored a message of the room. */
  delivered(state: RoomState): void;
  /** A refusal a person should read (shown above the composer when the room is open). */
  refused(state: RoomState, message: string): void;
  /** The room's rules changed under us (slow mode, lock): read them again. */
  rulesChanged(): void;
  /** The server forgot this connection's membership: join again (the join flushes what waits). */
  rejoin(state: RoomState): void;
  /** Whether the room is still one this tab is in (it may have been left while a pause ran). */
  isCurrent(state: RoomState): boolean;
}

/**
 * Sends each room's pending messages, in order, once the room is joined. A refusal that clears by itself (rate limit,
 * slow mode) pauses the room for as long as the server asked, then sends what waits; a refusal about the connection
 * leaves the message waiting for the next join; any other refusal needs a person (retry or discard).
 */
export class SendQueue {
  /** Rooms whose sends are paused after a rate-limit or slow-mode refusal, with the timer that resumes them. */
  private readonly pauses = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly channel: SendChannel,
    private readonly me: User,
    private readonly hooks: SendQueueHooks,
  ) {}

  /** Whether the room's sends are paused for now. */
  isPaused(room: string): boolean {
    return this.pauses.has(room);
  }

  /** Sends a pending message; a retry reuses the same clientMessageId, so the server stores it once. */
  async send(state: RoomState, pending: PendingMessage): Promise<void> {
    if (!this.channel.connected || !state.joined || this.pauses.has(state.name)) {
      pending.status = 'waiting';
      this.hooks.changed(state);
      return;
    }
    pending.status = 'sending';
    pending.error = null;
    this.hooks.changed(state);
    try {
      const ack = await this.channel.sendMessage(state.name, pending.text, pending.clientMessageId);
      state.acknowledge(pending, ack, this.me);
      this.hooks.delivered(state);
    } catch (error) {
      const problem = parseHubError(error);
      pending.error = problem;
      if (problem.code === 'slow_mode' || problem.code === 'room_locked') this.hooks.rulesChanged();
      if (transientCodes.has(problem.code)) {
        pending.status = 'waiting';
      } else if (backoffCodes.has(problem.code)) {
        // The server asked for a pause: hold this and later messages, then send them in order.
        pending.status = 'waiting';
        this.hooks.refused(state, problem.message);
        if (!this.pauses.has(state.name)) {
          this.pauses.set(state.name, setTimeout(() => {
            this.pauses.delete(state.name);
            if (this.hooks.isCurrent(state)) void this.flush(state);
          }, waitMs(problem)));
        }
      } else if (problem.code === 'not_member') {
        // The server forgot this connection's membership (e.g. it restarted); join again, then resend.
        pending.status = 'waiting';
        state.joined = false;
        this.hooks.rejoin(state);
      } else {
        pending.status = 'failed';
        this.hooks.refused(state, problem.message);
      }
    }
    this.hooks.changed(state);
  }

  /** Sends the room's waiting messages one after another, in the order they were written. */
  async flush(state: RoomState): Promise<void> {
    for (const pending of state.pending.filter((p) => p.status === 'waiting')) {
      await this.send(state, pending);
    }
  }

  /** Cancels every pause (the page is going away). */
  stop(): void {
    for (const timer of this.pauses.values()) clearTimeout(timer);
    this.pauses.clear();
  }
}
