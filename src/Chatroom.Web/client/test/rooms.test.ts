import { describe, expect, it } from 'vitest';
import { RoomDirectory } from '../src/chat/rooms';
import type { JoinResult, RoomSummary } from '../src/types';
import { ids, msg } from './fixtures';

const me = 'u-me';

function join(partial: Partial<JoinResult>): JoinResult {
  return { room: 'lobby', history: [], missed: [], missedTruncated: false, present: [], ...partial };
}

function summary(name: string, present = 0): RoomSummary {
  return { name, topic: null, createdAt: '2026-11-22T12:00:00Z', present };
}

describe('RoomDirectory', () => {
  it('opens a room as a member once, and the open room is the active one', () => {
    const rooms = new RoomDirectory(me);
    const first = rooms.open('lobby');
    const again = rooms.open('lobby');
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.state).toBe(first.state);
    expect(rooms.active).toBe('lobby');
    expect(rooms.activeState).toBe(first.state);
  });

  it('picks the lobby first, else the first room by name', () => {
    const rooms = new RoomDirectory(me);
    expect(rooms.defaultRoom()).toBeNull();
    rooms.setList([summary('zeta'), summary('alpha')]);
    expect(rooms.defaultRoom()).toBe('alpha');
    rooms.setList([summary('zeta'), summary('lobby'), summary('alpha')]);
    expect(rooms.defaultRoom()).toBe('lobby');
  });

  it('forgets a room left, with its unread count, and a new membership is a new state', () => {
    const rooms = new RoomDirectory(me);
    const { state } = rooms.open('lobby');
    rooms.open('random');
    rooms.received(msg(1), false);
    expect(rooms.unread.count('lobby')).toBe(1);
    expect(rooms.leave('lobby')).toEqual({ state, wasOpen: false });
    expect(rooms.unread.count('lobby')).toBe(0);
    expect(rooms.isCurrent(state)).toBe(false);
    expect(rooms.leave('lobby')).toEqual({ state: null, wasOpen: false });
    expect(rooms.leave('random').wasOpen).toBe(true);
    expect(rooms.active).toBeNull();
    expect(rooms.open('lobby').state).not.toBe(state);
  });

  it('drops a room the server refused and closes it when open', () => {
    const rooms = new RoomDirectory(me);
    rooms.open('secret');
    expect(rooms.refused('secret')).toBe(true);
    expect(rooms.active).toBeNull();
    expect(rooms.state('secret')).toBeUndefined();
  });

  it('marks every room not joined when the connection drops', () => {
    const rooms = new RoomDirectory(me);
    const a = rooms.open('a').state;
    const b = rooms.open('b').state;
    rooms.joined(a, join({ room: 'a' }), null, false);
    rooms.joined(b, join({ room: 'b' }), null, false);
    rooms.disconnected();
    expect([a.joined, b.joined]).toEqual([false, false]);
  });

  it('counts what was missed while away as unread in a room not being looked at', () => {
    const rooms = new RoomDirectory(me);
    const { state } = rooms.open('lobby');
    expect(rooms.joined(state, join({ history: [msg(1), msg(2)] }), null, false)).toBeNull();
    expect(rooms.unread.count('lobby')).toBe(0);

    rooms.disconnected();
    const notice = rooms.joined(state, join({ missed: [msg(3), msg(4, { authorId: me }), msg(5)], history: [msg(3), msg(4), msg(5)] }), 2, false);
    expect(notice).toBeNull();
    expect(ids(state.messages)).toEqual([1, 2, 3, 4, 5]);
    expect(rooms.unread.count('lobby')).toBe(2);
    // The same messages arriving live as well do not count twice.
    expect(rooms.received(msg(5), false)).toBe(false);
    expect(rooms.unread.count('lobby')).toBe(2);
  });

  it('reads what was missed in the room being looked at', () => {
    const rooms = new RoomDirectory(me);
    const { state } = rooms.open('lobby');
    rooms.joined(state, join({ history: [msg(1)] }), null, true);
    rooms.joined(state, join({ missed: [msg(2), msg(3)], history: [msg(2), msg(3)] }), 1, true);
    expect(rooms.unread.count('lobby')).toBe(0);
    expect(rooms.received(msg(3), false)).toBe(false);
  });

  it('says so when the server skipped more than it returns at once, on a re-join only', () => {
    const rooms = new RoomDirectory(me);
    const { state } = rooms.open('lobby');
    expect(rooms.joined(state, join({ history: [msg(1)], missedTruncated: true }), null, false)).toBeNull();
    expect(rooms.joined(state, join({ missed: [msg(400)], missedTruncated: true, history: [msg(400)] }), 1, false))
      .toBe('You missed many messages in #lobby while away. Scroll up to read them.');
  });

  it('keeps the presence count it knows first-hand over the list it reads', () => {
    const rooms = new RoomDirectory(me);
    const { state } = rooms.open('lobby');
    rooms.setList([summary('lobby', 9)]);
    rooms.joined(state, join({ present: [{ id: 'a', name: 'Ana' }, { id: 'b', name: 'Bo' }] }), null, true);
    expect(rooms.summary('lobby')!.present).toBe(2);
    rooms.setList([summary('lobby', 9)]);
    expect(rooms.summary('lobby')!.present).toBe(2);
    rooms.presence({ room: 'lobby', user: { id: 'c', name: 'Cy' }, action: 'joined', count: 3 });
    expect(rooms.summary('lobby')!.present).toBe(3);
    expect([...state.present.values()]).toEqual(['Ana', 'Bo', 'Cy']);
  });

  it('lists the rooms this tab is in even before the server lists them', () => {
    const rooms = new RoomDirectory(me);
    rooms.setList([summary('lobby')]);
    rooms.open('fresh');
    expect(rooms.list().map((r) => r.name)).toEqual(['lobby', 'fresh']);
    expect([...rooms.memberNames()]).toEqual(['fresh']);
  });

  it('applies rule changes to the list and to a room this tab is in', () => {
    const rooms = new RoomDirectory(me);
    rooms.setList([summary('lobby'), summary('other')]);
    const { state } = rooms.open('lobby');
    expect(rooms.rulesChanged({ room: 'lobby', slowModeSeconds: 30, locked: true })).toBe(state);
    expect([state.slowModeSeconds, state.locked]).toEqual([30, true]);
    expect(rooms.summary('lobby')).toMatchObject({ slowModeSeconds: 30, locked: true });
    expect(rooms.rulesChanged({ room: 'other', slowModeSeconds: 5, locked: false })).toBeUndefined();
    expect(rooms.summary('other')!.slowModeSeconds).toBe(5);
  });
});
