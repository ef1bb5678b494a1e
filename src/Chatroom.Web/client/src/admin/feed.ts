import type { ModerationAction, Verdict } from './types';

/** One line of the dashboard's verdict feed, from a live `analysis` event or read back from `GET /api/admin/verdicts`. */
export interface FeedEntry {
  room: string;
  messageId: number;
  authorName: string;
  verdict: Verdict;
  action: ModerationAction | null;
  /** When the verdict was reached (ms); for a live event, when it arrived. */
  at: number;
  /** From a live event: it names the action taken, which a read-back can only infer from what still shows. */
  live: boolean;
}

const keyOf = (e: Pick<FeedEntry, 'room' | 'messageId'>): string => `${e.room}\n${e.messageId}`;

/**
 * The feed after `incoming` arrives: one line per message (a live line wins over a read-back one; otherwise the line
 * already shown stays), newest first, at most `cap` lines. The read-back on open and live events may overlap either way.
 */
export function mergeFeed(current: readonly FeedEntry[], incoming: readonly FeedEntry[], cap: number): FeedEntry[] {
  const byMessage = new Map<string, FeedEntry>();
  for (const entry of current) byMessage.set(keyOf(entry), entry);
  for (const entry of incoming) {
    const shown = byMessage.get(keyOf(entry));
    if (!shown || (entry.live && !shown.live)) byMessage.set(keyOf(entry), entry);
  }
  return [...byMessage.values()].sort((a, b) => b.at - a.at).slice(0, Math.max(0, cap));
}
