import type { ChatMessage } from '../types';

/**
 * Unread counts per room. A message counts once (by id), never when it is your own, and never
 * when you are looking at its room.
 */
export class UnreadCounter {
  private readonly counts = new Map<string, number>();
  private readonly highest = new Map<string, number>();

  /** Returns true when the count of the message's room changed. */
  add(message: ChatMessage, myUserId: string, viewing: boolean): boolean {
    const seen = this.highest.get(message.room) ?? -Infinity;
    if (message.id <= seen) return false;
    this.highest.set(message.room, message.id);
    if (viewing || message.authorId === myUserId || message.hidden) return false;
    this.counts.set(message.room, (this.counts.get(message.room) ?? 0) + 1);
    return true;
  }

  /** Everything up to `upToId` (or everything so far) has been seen. */
  markRead(room: string, upToId?: number | null): void {
    if (upToId != null) {
      const seen = this.highest.get(room) ?? -Infinity;
      if (upToId > seen) this.highest.set(room, upToId);
    }
    this.counts.delete(room);
  }

  count(room: string): number {
    return this.counts.get(room) ?? 0;
  }

  total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  forget(room: string): void {
    this.counts.delete(room);
    this.highest.delete(room);
  }
}
