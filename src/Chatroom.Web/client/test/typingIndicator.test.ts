import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RoomState } from '../src/chat/roomState';
import { TypingIndicator } from '../src/chat/typingIndicator';

describe('TypingIndicator', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('clears the line by itself when a typist stops', async () => {
    let open: RoomState | null = new RoomState('lobby');
    const lines: string[] = [];
    const indicator = new TypingIndicator(() => open, (text) => lines.push(text));
    open.typing.seen({ id: 'a', name: 'Ana' }, Date.now());
    indicator.update();
    expect(lines).toEqual(['Ana is typing…']);
    await vi.advanceTimersByTimeAsync(4000 + 10);
    expect(lines).toEqual(['Ana is typing…', '']);
    open = null;
    indicator.update();
    expect(lines.at(-1)).toBe('');
  });

  it('announces typing at most every two seconds, and at once after a send', () => {
    const indicator = new TypingIndicator(() => null, () => undefined);
    expect(indicator.keystroke()).toBe(true);
    expect(indicator.keystroke()).toBe(false);
    vi.advanceTimersByTime(2000);
    expect(indicator.keystroke()).toBe(true);
    indicator.sent();
    expect(indicator.keystroke()).toBe(true);
  });
});
