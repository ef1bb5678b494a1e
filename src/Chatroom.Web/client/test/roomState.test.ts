import { describe, expect, it } from 'vitest';
import { RoomState } from '../src/chat/roomState';
import type { JoinResult } from '../src/types';
import { ids, msg } from './fixtures';

const me = { id: 'u-me', name: 'Me', role: 'guest' };

function join(partial: Partial<JoinResult>): JoinResult {
  return { room: 'lobby', history: [], missed: [], missedTruncated: false, present: [], ...partial };
}

describe('RoomState', () => {
  it('starts from the history of the first join', () => {
    const state = new RoomState('lobby');
    state.applyJoin(join({ history: [msg(1), msg(2)], present: [{ id: 'a', name: 'Ana' }] }));
    expect(state.joined).toBe(true);
    expect(ids(state.messages)).toEqual([1, 2]);
    expect(state.lastSeenId).toBe(2);
    expect(state.presentCount).toBe(1);
  });

  it('knows an empty room has nothing older', () => {
    const state = new RoomState('lobby');
    state.applyJoin(join({}));
    expect(state.hasOlder).toBe(false);
  });

  it('merges missed messages on reconnect without duplicates', () => {
    const state = new RoomState('lobby');
    state.applyJoin(join({ history: [msg(1), msg(2), msg(3)] }));
    state.addMessages([msg(4)]);
    state.applyJoin(join({ missed: [msg(5), msg(6)], history: [msg(3), msg(4), msg(5), msg(6)] }));
    expect(ids(state.messages)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(state.gapNotice).toBe(false);
  });

  it('restarts from history when the server truncated what was missed', () => {
    const state = new RoomState('lobby');
    state.applyJoin(join({ history: [msg(1), msg(2)] }));
    state.applyJoin(join({ missed: [msg(3), msg(4)], missedTruncated: true, history: [msg(90), msg(91)] }));
    expect(ids(state.messages)).toEqual([90, 91]);
    expect(state.hasOlder).toBe(true);
    expect(state.gapNotice).toBe(true);
  });

  it('replaces the pending copy whether the ack or the event comes first', () => {
    const eventFirst = new RoomState('lobby');
    const p1 = eventFirst.addPending('cid-1', 'hi');
    eventFirst.addMessages([msg(7, { authorId: me.id, clientMessageId: 'cid-1', text: 'hi' })]);
    expect(eventFirst.pending).toEqual([]);
    eventFirst.acknowledge(p1, { room: 'lobby', id: 7, sentAt: msg(7).sentAt, duplicate: false }, me);
    expect(ids(eventFirst.messages)).toEqual([7]);

    const ackFirst = new RoomState('lobby');
    const p2 = ackFirst.addPending('cid-2', 'hey');
    ackFirst.acknowledge(p2, { room: 'lobby', id: 8, sentAt: msg(8).sentAt, duplicate: false }, me);
    ackFirst.addMessages([msg(8, { authorId: me.id, clientMessageId: 'cid-2', text: 'hey' })]);
    expect(ackFirst.pending).toEqual([]);
    expect(ackFirst.messages).toHaveLength(1);
    expect(ackFirst.messages[0]).toMatchObject({ id: 8, text: 'hey', authorId: me.id, clientMessageId: 'cid-2' });
  });

  it('keeps a retried message once when the server reports a duplicate', () => {
    const state = new RoomState('lobby');
    state.applyJoin(join({ history: [msg(1)] }));
    const pending = state.addPending('cid-3', 'again');
    state.acknowledge(pending, { room: 'lobby', id: 2, sentAt: msg(2).sentAt, duplicate: true }, me);
    state.applyJoin(join({ missed: [msg(2, { clientMessageId: 'cid-3' })], history: [msg(1), msg(2)] }));
    expect(ids(state.messages)).toEqual([1, 2]);
  });

  it('settles pending messages that arrive in the missed list after a reconnect', () => {
    const state = new RoomState('lobby');
    state.applyJoin(join({ history: [msg(1)] }));
    state.addPending('cid-4', 'sent while the connection dropped');
    state.applyJoin(join({ missed: [msg(2, { clientMessageId: 'cid-4' })], history: [msg(1), msg(2)] }));
    expect(state.pending).toEqual([]);
  });

  it('tracks presence and stops typing for people who leave or send', () => {
    const state = new RoomState('lobby');
    const ana = { id: 'a', name: 'Ana' };
    state.presence(ana, 'joined', 1);
    state.typing.seen(ana, Date.now());
    expect([...state.present.values()]).toEqual(['Ana']);
    state.addMessages([msg(1, { authorId: 'a' })]);
    expect(state.typing.active(Date.now())).toEqual([]);
    state.typing.seen(ana, Date.now());
    state.presence(ana, 'left', 0);
    expect(state.present.size).toBe(0);
    expect(state.presentCount).toBe(0);
    expect(state.typing.active(Date.now())).toEqual([]);
  });

  it('hides a message in place', () => {
    const state = new RoomState('lobby');
    state.addMessages([msg(1), msg(2)]);
    expect(state.hide(2)).toBe(true);
    expect(state.messages[1]!.hidden).toBe(true);
    expect(state.hide(2)).toBe(false);
  });
});
