import type { ChatMessage } from '../src/types';

export function msg(id: number, overrides: Partial<ChatMessage> = {}): ChatMessage {
  return {
    room: 'lobby',
    id,
    authorId: 'u-ana',
    authorName: 'Ana',
    kind: 'user',
    text: `message ${id}`,
    sentAt: new Date(Date.UTC(2026, 10, 22, 12, 0, id)).toISOString(),
    clientMessageId: null,
    hidden: false,
    ...overrides,
  };
}

export const ids = (messages: readonly ChatMessage[]): number[] => messages.map((m) => m.id);
