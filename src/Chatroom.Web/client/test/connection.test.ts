import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectionKeeper, reconnectDelayMs, type ConnectionHooks } from '../src/chat/connection';
import type { ConnectionStatus } from '../src/chat/view';

/** A hub whose start fails `failures` times (with `error`), then works. */
function keeper(failures: number, error: unknown = new Error('Failed to fetch')) {
  const statuses: ConnectionStatus[] = [];
  const events: string[] = [];
  let starts = 0;
  const hooks: ConnectionHooks = {
    start: () => {
      starts++;
      return starts <= failures ? Promise.reject(error) : Promise.resolve();
    },
    connected: () => {
      events.push('joined rooms');
      return Promise.resolve();
    },
    lost: () => events.push('rooms dropped'),
    status: (s) => statuses.push(s),
    unauthorized: () => events.push('signed out'),
  };
  return { connection: new ConnectionKeeper(hooks), statuses, events, starts: () => starts };
}

describe('reconnectDelayMs', () => {
  it('waits 1 s, doubling each failed attempt, never more than 10 s', () => {
    expect([0, 1, 2, 3, 4, 5, 20].map(reconnectDelayMs)).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });
});

describe('ConnectionKeeper', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('starts again on the back-off schedule until the hub is up, then joins the rooms', async () => {
    const { connection, statuses, events, starts } = keeper(3);
    const done = connection.connect();
    await vi.advanceTimersByTimeAsync(0);
    expect(starts()).toBe(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(starts()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(starts()).toBe(2);
    await vi.advanceTimersByTimeAsync(2000);
    expect(starts()).toBe(3);
    await vi.advanceTimersByTimeAsync(3999);
    expect(starts()).toBe(3);
    await vi.advanceTimersByTimeAsync(1);
    await done;
    expect(starts()).toBe(4);
    expect(statuses).toEqual(['disconnected', 'disconnected', 'disconnected', 'connected']);
    expect(events).toEqual(['joined rooms']);
  });

  it('signs out instead of retrying when the token is refused', async () => {
    const { connection, statuses, events, starts } = keeper(1, new Error('Failed to complete negotiation with the server: Error: Unauthorized: Status code \'401\''));
    await connection.connect();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(starts()).toBe(1);
    expect(events).toEqual(['signed out']);
    expect(statuses).toEqual([]);
  });

  it('tries at once when asked instead of waiting out the back-off', async () => {
    const { connection, starts } = keeper(4);
    const done = connection.connect();
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000);
    expect(starts()).toBe(4);
    connection.retryNow();
    await done;
    expect(starts()).toBe(5);
  });

  it('drops the rooms when the connection goes, and starts again itself when SignalR gives up', async () => {
    const { connection, statuses, events, starts } = keeper(0);
    await connection.connect();
    connection.reconnecting();
    connection.closed();
    await vi.advanceTimersByTimeAsync(0);
    expect(starts()).toBe(2);
    expect(statuses).toEqual(['connected', 'reconnecting', 'disconnected', 'connected']);
    expect(events).toEqual(['joined rooms', 'rooms dropped', 'rooms dropped', 'joined rooms']);
  });

  it('stops trying once stopped, even in the middle of a wait', async () => {
    const { connection, starts } = keeper(100);
    const done = connection.connect();
    await vi.advanceTimersByTimeAsync(0);
    connection.stop();
    await done;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(starts()).toBe(1);
    connection.closed();
    expect(starts()).toBe(1);
  });
});
