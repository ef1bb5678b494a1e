import type { ChatMessage } from '../types';

/**
 * Merges messages into an ascending, duplicate-free list keyed by id. A message seen twice keeps
 * the hidden flag once either copy has it: moderation never un-hides by accident of ordering.
 * Returns the existing array when nothing changed, so callers can skip re-rendering.
 */
export function mergeMessages(
  existing: readonly ChatMessage[],
  incoming: readonly ChatMessage[],
): readonly ChatMessage[] {
  if (incoming.length === 0) return existing;

  const lastId = existing.length > 0 ? existing[existing.length - 1]!.id : -Infinity;
  if (isStrictlyAscending(incoming) && incoming[0]!.id > lastId) {
    return existing.concat(incoming);
  }

  const byId = new Map<number, ChatMessage>();
  for (const m of existing) byId.set(m.id, m);
  let changed = false;
  for (const m of incoming) {
    const known = byId.get(m.id);
    if (known === undefined) {
      byId.set(m.id, m);
      changed = true;
    } else if (m.hidden && !known.hidden) {
      byId.set(m.id, { ...known, hidden: true });
      changed = true;
    }
  }
  if (!changed) return existing;
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** Marks one message hidden; returns the same array when the id is unknown or already hidden. */
export function hideMessage(messages: readonly ChatMessage[], id: number): readonly ChatMessage[] {
  const index = findIndexById(messages, id);
  if (index < 0 || messages[index]!.hidden) return messages;
  const copy = messages.slice();
  copy[index] = { ...messages[index]!, hidden: true };
  return copy;
}

/** The highest id in an ascending list, or null for an empty one. */
export function lastId(messages: readonly ChatMessage[]): number | null {
  return messages.length > 0 ? messages[messages.length - 1]!.id : null;
}

/** The lowest id in an ascending list, or null for an empty one. */
export function firstId(messages: readonly ChatMessage[]): number | null {
  return messages.length > 0 ? messages[0]!.id : null;
}

/** Binary search in an ascending list. */
export function findIndexById(messages: readonly ChatMessage[], id: number): number {
  let lo = 0;
  let hi = messages.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const value = messages[mid]!.id;
    if (value === id) return mid;
    if (value < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function isStrictlyAscending(messages: readonly ChatMessage[]): boolean {
  for (let i = 1; i < messages.length; i++) {
    if (messages[i]!.id <= messages[i - 1]!.id) return false;
  }
  return true;
}

/**
 * Applies a live `message` event. A message the list already has comes again only when moderation
 * restored it (hidden: false, text back): that copy replaces the old one by id.
 */
export function applyLiveMessage(messages: readonly ChatMessage[], message: ChatMessage): readonly ChatMessage[] {
  const index = findIndexById(messages, message.id);
  if (index < 0) return mergeMessages(messages, [message]);
  const known = messages[index]!;
  if (known.hidden === message.hidden && known.text === message.text) return messages;
  const copy = messages.slice();
  copy[index] = message;
  return copy;
}
