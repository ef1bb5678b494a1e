import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RoomState } from '../src/chat/roomState';
import { SendQueue, type SendChannel } from '../src/chat/sendQueue';
import type { SendAck } from '../src/types';

const me = { id: 'u-me', name: 'Me', role: 'guest' };

/** A hub that answers each send with the next scripted outcome: an id (stored) or an error text (refused). */
class ScriptedHub implements SendChannel {
  connected = true;
  readonly sent: string[] = [];
  private nextId = 1;

  constructor(private readonly outcomes: (number | string)[] = []) {}

  sendMessage(room: string, text: string): Promise<SendAck> {
    this.sent.push(text);
    const outcome = this.outcomes.shift() ?? this.nextId;
    if (typeof outcome === 'string') return Promise.reject(new Error(outcome));
    this.nextId = outcome + 1;
    return Promise.resolve({ room, id: outcome, sentAt: new Date(Date.UTC(2026, 10, 22, 12, 0, outcome)).toISOString(), duplicate: false });
  }
}

function setUp(hub: ScriptedHub) {
  const state = new RoomState('lobby');
  state.joined = true;
  const log: string[] = [];
  const queue = new SendQueue(hub, me, {
    changed: () => undefined,
    delivered: () => log.push('delivered'),
    refused: (_, message) => log.push(`refused: ${message}`),
    rulesChanged: () => log.push('rules changed'),
    rejoin: () => log.push('rejoin'),
    isCurrent: (s) => s === state,
  });
  return { state, queue, log };
}

const texts = (state: RoomState) => state.messages.map((m) => m.text);

describe('SendQueue', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('turns an acknowledged message into a stored one', async () => {
    const hub = new ScriptedHub();
    const { state, queue, log } = setUp(hub);
    await queue.send(state, state.addPending('c1', 'hello'));
    expect(state.pending).toEqual([]);
    expect(texts(state)).toEqual(['hello']);
    expect(log).toEqual(['delivered']);
  });

  it('pauses the room for as long as the server asks, then sends what waits in order', async () => {
    const hub = new ScriptedHub(['HubException: rate_limited: wait 2 s']);
    const { state, queue, log } = setUp(hub);
    await queue.send(state, state.addPending('c1', 'one'));
    await queue.send(state, state.addPending('c2', 'two'));
    expect(hub.sent).toEqual(['one']);
    expect(state.pending.map((p) => p.status)).toEqual(['waiting', 'waiting']);
    expect(queue.isPaused('lobby')).toBe(true);
    expect(log).toEqual(['refused: Sending too fast: wait 2 s.']);

    await vi.advanceTimersByTimeAsync(1999);
    expect(hub.sent).toEqual(['one']);
    await vi.advanceTimersByTimeAsync(1);
    expect(hub.sent).toEqual(['one', 'one', 'two']);
    expect(texts(state)).toEqual(['one', 'two']);
    expect(state.pending).toEqual([]);
    expect(queue.isPaused('lobby')).toBe(false);
  });

  it('reads the room rules again after a slow-mode refusal and waits a second when the refusal names no wait', async () => {
    const hub = new ScriptedHub(['HubException: slow_mode: one message every 30 seconds']);
    const { state, queue, log } = setUp(hub);
    await queue.send(state, state.addPending('c1', 'one'));
    expect(log[0]).toBe('rules changed');
    await vi.advanceTimersByTimeAsync(1000);
    expect(hub.sent).toEqual(['one', 'one']);
  });

  it('does not resume a room that was left while paused', async () => {
    const hub = new ScriptedHub(['HubException: rate_limited: wait 1 s']);
    const { queue } = setUp(hub);
    const left = new RoomState('lobby');
    left.joined = true;
    await queue.send(left, left.addPending('c1', 'one'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(hub.sent).toEqual(['one']);
  });

  it('keeps a message waiting, without asking a person, when the server cannot store it for now', async () => {
    const hub = new ScriptedHub(['HubException: storage_full: the disk is full']);
    const { state, queue, log } = setUp(hub);
    await queue.send(state, state.addPending('c1', 'one'));
    expect(state.pending[0]).toMatchObject({ status: 'waiting', error: { code: 'storage_full' } });
    expect(log).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(hub.sent).toEqual(['one']);
  });

  it('holds messages while disconnected or not joined, and the next flush sends them', async () => {
    const hub = new ScriptedHub();
    const { state, queue } = setUp(hub);
    hub.connected = false;
    await queue.send(state, state.addPending('c1', 'one'));
    state.joined = false;
    hub.connected = true;
    await queue.send(state, state.addPending('c2', 'two'));
    expect(hub.sent).toEqual([]);
    expect(state.pending.map((p) => p.status)).toEqual(['waiting', 'waiting']);
    state.joined = true;
    await queue.flush(state);
    expect(texts(state)).toEqual(['one', 'two']);
  });

  it('joins again when the server forgot the membership', async () => {
    const hub = new ScriptedHub(['HubException: not_member: join the room first']);
    const { state, queue, log } = setUp(hub);
    await queue.send(state, state.addPending('c1', 'one'));
    expect(state.joined).toBe(false);
    expect(state.pending[0]!.status).toBe('waiting');
    expect(log).toEqual(['rejoin']);
  });

  it('leaves a refusal that needs a person as failed, and a retry sends it again', async () => {
    const hub = new ScriptedHub(['HubException: muted: for 5 minutes']);
    const { state, queue, log } = setUp(hub);
    const pending = state.addPending('c1', 'one');
    await queue.send(state, pending);
    expect(pending).toMatchObject({ status: 'failed', error: { code: 'muted' } });
    expect(log).toEqual(['refused: You are muted in this room: for 5 minutes.']);
    await queue.send(state, pending);
    expect(texts(state)).toEqual(['one']);
  });

  it('stop cancels the pauses', async () => {
    const hub = new ScriptedHub(['HubException: rate_limited: wait 1 s']);
    const { state, queue } = setUp(hub);
    await queue.send(state, state.addPending('c1', 'one'));
    queue.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(hub.sent).toEqual(['one']);
  });
});
