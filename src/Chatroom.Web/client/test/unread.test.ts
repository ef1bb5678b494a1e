import { describe, expect, it } from 'vitest';
import { UnreadCounter } from '../src/lib/unread';
import { msg } from './fixtures';

describe('UnreadCounter', () => {
  const me = 'u-me';

  it('counts messages in rooms you are not looking at', () => {
    const unread = new UnreadCounter();
    expect(unread.add(msg(1, { room: 'dev' }), me, false)).toBe(true);
    unread.add(msg(2, { room: 'dev' }), me, false);
    unread.add(msg(1, { room: 'ops' }), me, false);
    expect(unread.count('dev')).toBe(2);
    expect(unread.count('ops')).toBe(1);
    expect(unread.total()).toBe(3);
  });

  it('does not count your own messages, the room you are viewing, or hidden ones', () => {
    const unread = new UnreadCounter();
    unread.add(msg(1, { authorId: me }), me, false);
    unread.add(msg(2), me, true);
    unread.add(msg(3, { hidden: true }), me, false);
    expect(unread.count('lobby')).toBe(0);
  });

  it('counts a message once even when it arrives twice', () => {
    const unread = new UnreadCounter();
    unread.add(msg(5), me, false);
    expect(unread.add(msg(5), me, false)).toBe(false);
    unread.add(msg(4), me, false);
    expect(unread.count('lobby')).toBe(1);
  });

  it('clears on read and ignores what was read before', () => {
    const unread = new UnreadCounter();
    unread.add(msg(1), me, false);
    unread.add(msg(2), me, false);
    unread.markRead('lobby', 10);
    expect(unread.count('lobby')).toBe(0);
    unread.add(msg(9), me, false);
    expect(unread.count('lobby')).toBe(0);
    unread.add(msg(11), me, false);
    expect(unread.count('lobby')).toBe(1);
  });

  it('forgets a room that was left', () => {
    const unread = new UnreadCounter();
    unread.add(msg(3), me, false);
    unread.forget('lobby');
    expect(unread.total()).toBe(0);
    unread.add(msg(1), me, false);
    expect(unread.count('lobby')).toBe(1);
  });
});
