import type { UserRef } from '../types';

/**
 * Lets an action through at most once per interval: the composer calls `tryFire()` on every
 * keystroke and sends `Typing` only when it says yes.
 */
export class Throttle {
  private last = -Infinity;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  tryFire(): boolean {
    const t = this.now();
    if (t - this.last < this.intervalMs) return false;
    this.last = t;
    return true;
  }

  /** After a message is sent, the next keystroke announces typing again at once. */
  reset(): void {
    this.last = -Infinity;
  }
}

/** Who is typing in one room: each `typing` event keeps a person listed for `ttlMs`. */
export class TypingTracker {
  private readonly until = new Map<string, { name: string; until: number }>();

  constructor(private readonly ttlMs = 4000) {}

  seen(user: UserRef, now: number): void {
    this.until.set(user.id, { name: user.name, until: now + this.ttlMs });
  }

  /** A message from someone ends their typing. */
  stopped(userId: string): void {
    this.until.delete(userId);
  }

  /** Names of people still typing, oldest first; expired entries are dropped. */
  active(now: number): string[] {
    const names: string[] = [];
    for (const [id, entry] of this.until) {
      if (entry.until <= now) this.until.delete(id);
      else names.push(entry.name);
    }
    return names;
  }

  /** When the next entry expires, so the view knows when to look again (null when nobody types). */
  nextExpiry(): number | null {
    let next: number | null = null;
    for (const entry of this.until.values()) {
      if (next === null || entry.until < next) next = entry.until;
    }
    return next;
  }
}

/** "Ana is typing…", "Ana and Bo are typing…", "Ana, Bo and 3 others are typing…". */
export function describeTyping(names: readonly string[]): string {
  switch (names.length) {
    case 0:
      return '';
    case 1:
      return `${names[0]} is typing…`;
    case 2:
      return `${names[0]} and ${names[1]} are typing…`;
    case 3:
      return `${names[0]}, ${names[1]} and ${names[2]} are typing…`;
    default:
      return `${names[0]}, ${names[1]} and ${names.length - 2} others are typing…`;
  }
}
