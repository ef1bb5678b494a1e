import { describe, expect, it } from 'vitest';
import { ApiClient, ApiError } from '../src/api';
import { chatSlot, refreshDelay, rotationsKey, SessionKeeper, type ExclusiveLocks, type SessionSlot } from '../src/sessionKeeper';
import { secondFactorOf } from '../src/admin/signIn';
import { adminSessionKey, chatSessionKey } from '../src/session';
import type { Session } from '../src/types';

const t0 = Date.parse('2026-01-01T12:00:00Z');

function pair(n: number, now = t0, lifetimeMs = 600_000): Session {
  return {
    token: `access-${n}`,
    expiresAt: new Date(now + lifetimeMs).toISOString(),
    refreshToken: `refresh-${n}`,
    refreshExpiresAt: new Date(now + 30 * 86_400_000).toISOString(),
    user: { id: 'admin-id', name: 'admin', role: 'admin' },
  };
}

/** A fake clock whose timers run when the test says so. */
class Clock {
  now = t0;
  private timers: { at: number; run: () => void }[] = [];
  set = (run: () => void, ms: number): unknown => {
    const timer = { at: this.now + ms, run };
    this.timers.push(timer);
    return timer;
  };
  clear = (handle: unknown): void => {
    this.timers = this.timers.filter((t) => t !== handle);
  };
  /** Moves to `at` and runs the timers due by then. */
  advanceTo(at: number): void {
    this.now = at;
    const due = this.timers.filter((t) => t.at <= at);
    this.timers = this.timers.filter((t) => t.at > at);
    for (const timer of due) timer.run();
  }
  get pending(): number {
    return this.timers.length;
  }
}

/** One lock for everyone, like navigator.locks across the tabs of an origin. */
class Locks implements ExclusiveLocks {
  private tail: Promise<unknown> = Promise.resolve();
  request<T>(_name: string, callback: () => Promise<T>): Promise<T> {
    const run = this.tail.then(callback);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

/** The server's side of refresh: single-use tokens, a reuse ends the family. */
class Server {
  issued = 1;
  live = new Set(['refresh-1']);
  spent: string[] = [];
  revoked = false;
  refresh = async (token: string): Promise<Session> => {
    await Promise.resolve();
    this.spent.push(token);
    if (this.revoked || !this.live.has(token)) {
      this.revoked = true;
      throw new ApiError(401, 'refresh_token_reused', 'The refresh token was used already.');
    }
    this.live.delete(token);
    const next = pair(++this.issued);
    this.live.add(next.refreshToken!);
    return next;
  };
}

function keeper(server: Server, clock: Clock, options: { storage?: Storage; shared?: Storage; locks?: ExclusiveLocks; ended?: () => void; slot?: SessionSlot } = {}): SessionKeeper {
  return new SessionKeeper({
    refresh: server.refresh,
    onEnded: options.ended ?? (() => undefined),
    storage: options.storage ?? new MemoryStorage(),
    shared: options.shared ?? null,
    locks: options.locks ?? null,
    ...(options.slot ? { slot: options.slot } : {}),
    now: () => clock.now,
    setTimer: clock.set,
    clearTimer: clock.clear,
  });
}

class MemoryStorage implements Storage {
  private map = new Map<string, string>();
  get length(): number {
    return this.map.size;
  }
  clear(): void {
    this.map.clear();
  }
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.map.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
  setItem(key: string, value: string): void {
    this.map.set(key, value);
  }
  copy(): MemoryStorage {
    const copy = new MemoryStorage();
    for (const [k, v] of this.map) copy.setItem(k, v);
    return copy;
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('when the admin session is renewed', () => {
  it('renews shortly before the access token expires', () => {
    expect(refreshDelay(new Date(t0 + 600_000).toISOString(), t0)).toBe(540_000);
    // A short-lived token (tests configure seconds) is renewed at four fifths of its life.
    expect(refreshDelay(new Date(t0 + 10_000).toISOString(), t0)).toBe(8_000);
    expect(refreshDelay(new Date(t0 - 1_000).toISOString(), t0)).toBe(0);
  });

  it('rotates to the new pair on schedule and keeps doing so', async () => {
    const server = new Server();
    const clock = new Clock();
    const storage = new MemoryStorage();
    const admin = keeper(server, clock, { storage });
    admin.begin(pair(1));

    clock.advanceTo(t0 + 540_000);
    await settle();
    expect(admin.token()).toBe('access-2');
    expect(JSON.parse(storage.getItem(adminSessionKey)!)).toMatchObject({ token: 'access-2', refreshToken: 'refresh-2' });
    expect(clock.pending).toBe(1);

    clock.advanceTo(t0 + 1_080_000);
    await settle();
    expect(admin.token()).toBe('access-3');
    expect(server.spent).toEqual(['refresh-1', 'refresh-2']);
  });

  it('spends a refresh token once when many calls meet a 401 together', async () => {
    const server = new Server();
    const clock = new Clock();
    const admin = keeper(server, clock);
    admin.begin(pair(1));

    const outcomes = await Promise.all([admin.renew('access-1'), admin.renew('access-1'), admin.renew('access-1')]);
    expect(outcomes).toEqual(['renewed', 'renewed', 'renewed']);
    // A late 401 for the old token only means "retry with the current one".
    expect(await admin.renew('access-1')).toBe('renewed');
    expect(server.spent).toEqual(['refresh-1']);
    expect(admin.token()).toBe('access-2');
  });

  it('a duplicated tab adopts the pair its twin got instead of reusing the spent token', async () => {
    const server = new Server();
    const clock = new Clock();
    const shared = new MemoryStorage();
    const locks = new Locks();
    const first = new MemoryStorage();
    const a = keeper(server, clock, { storage: first, shared, locks });
    a.begin(pair(1));
    const b = keeper(server, clock, { storage: first.copy(), shared, locks });
    expect(b.resume()?.token).toBe('access-1');

    const both = await Promise.all([a.renew('access-1'), b.renew('access-1')]);
    expect(both).toEqual(['renewed', 'renewed']);
    expect(server.spent).toEqual(['refresh-1']);
    expect(server.revoked).toBe(false);
    expect(b.token()).toBe(a.token());
  });

  it('ends the session when the server refuses, and keeps it when the server cannot be reached', async () => {
    const clock = new Clock();
    let ended = 0;
    let reachable = false;
    const admin = new SessionKeeper({
      refresh: () => Promise.reject(reachable ? new ApiError(401, 'invalid_refresh_token', 'The refresh token is not valid.') : new ApiError(0, 'network', 'offline')),
      onEnded: () => ended++,
      storage: new MemoryStorage(),
      now: () => clock.now,
      setTimer: clock.set,
      clearTimer: clock.clear,
    });
    admin.begin(pair(1));

    expect(await admin.renew('access-1')).toBe('unavailable');
    expect(admin.token()).toBe('access-1');
    expect(ended).toBe(0);

    reachable = true;
    expect(await admin.renew('access-1')).toBe('ended');
    expect(admin.token()).toBeNull();
    expect(ended).toBe(1);
  });

  it('a reload with an expired access token but a live refresh token keeps the session', () => {
    const storage = new MemoryStorage();
    storage.setItem(adminSessionKey, JSON.stringify(pair(1, t0 - 700_000)));
    const admin = keeper(new Server(), new Clock(), { storage });
    expect(admin.resume()?.token).toBe('access-1');
  });

  it('forgets spent rotations once their access token expired', async () => {
    const server = new Server();
    const clock = new Clock();
    const shared = new MemoryStorage();
    const admin = keeper(server, clock, { shared });
    admin.begin(pair(1));
    await admin.renew('access-1');
    expect(Object.keys(JSON.parse(shared.getItem(rotationsKey)!))).toEqual(['refresh-1']);
    clock.now = t0 + 700_000;
    admin.stop();
    expect(shared.getItem(rotationsKey)).toBeNull();
  });
});

describe('a chat account session', () => {
  it('is kept and renewed by the same keeper, apart from the admin console in the same tab', async () => {
    const server = new Server();
    const clock = new Clock();
    const storage = new MemoryStorage();
    const shared = new MemoryStorage();
    const names: string[] = [];
    const locks: ExclusiveLocks = { request: (name, callback) => { names.push(name); return callback(); } };
    const admin = { ...pair(100), user: { id: 'admin-id', name: 'admin', role: 'admin' } };
    storage.setItem(adminSessionKey, JSON.stringify(admin));

    const chat = keeper(server, clock, { storage, shared, locks, slot: chatSlot });
    chat.begin(pair(1));
    expect(await chat.renew('access-1')).toBe('renewed');

    expect(chat.token()).toBe('access-2');
    expect(JSON.parse(storage.getItem(chatSessionKey)!).refreshToken).toBe('refresh-2');
    expect(names).toEqual(['chatroom.refresh']);
    expect(Object.keys(JSON.parse(shared.getItem('chatroom.rotations')!))).toEqual(['refresh-1']);
    expect(shared.getItem(rotationsKey)).toBeNull();
    expect(JSON.parse(storage.getItem(adminSessionKey)!).token).toBe('access-100');

    chat.stop();
    expect(storage.getItem(chatSessionKey)).toBeNull();
    expect(storage.getItem(adminSessionKey)).not.toBeNull();
  });

  it('ends a guest session at its first 401, since a guest has nothing to renew with', async () => {
    const clock = new Clock();
    let ended = 0;
    const chat = keeper(new Server(), clock, { slot: chatSlot, ended: () => ended++ });
    const { refreshToken: _r, refreshExpiresAt: _e, ...guest } = pair(1);
    chat.begin(guest);
    expect(clock.pending).toBe(0);
    expect(await chat.renew('access-1')).toBe('ended');
    expect(ended).toBe(1);
    expect(chat.token()).toBeNull();
  });
});

describe('the REST client with a renewer', () => {
  it('retries a call once with the renewed token after a 401', async () => {
    let token = 'old';
    const sent: string[] = [];
    const api = new ApiClient({
      apiBase: '',
      token: () => token,
      renew: async () => {
        token = 'new';
        return 'renewed';
      },
      fetch: async (_url, init) => {
        const auth = (init?.headers as Record<string, string>).Authorization!;
        sent.push(auth);
        return auth === 'Bearer new'
          ? new Response(JSON.stringify({ rooms: 1 }), { status: 200, headers: { 'Content-Type': 'application/json' } })
          : new Response(null, { status: 401 });
      },
    });
    expect(await api.call('GET', '/api/admin/stats')).toEqual({ rooms: 1 });
    expect(sent).toEqual(['Bearer old', 'Bearer new']);
  });

  it('gives up after one renewal and reports the session over', async () => {
    let unauthorized = 0;
    let renewals = 0;
    const api = new ApiClient({
      apiBase: '',
      token: () => 'any',
      onUnauthorized: () => unauthorized++,
      renew: async () => {
        renewals++;
        return 'renewed';
      },
      fetch: async () => new Response(null, { status: 401 }),
    });
    await expect(api.call('GET', '/api/admin/stats')).rejects.toMatchObject({ status: 401 });
    expect(renewals).toBe(1);
    expect(unauthorized).toBe(1);
  });
});

describe('a 401 that refuses what was typed', () => {
  it('is not taken for an expired token: no renewal, the session stays, the caller gets the code', async () => {
    let unauthorized = 0;
    let renewals = 0;
    const api = new ApiClient({
      apiBase: '',
      token: () => 'good',
      onUnauthorized: () => unauthorized++,
      renew: async () => {
        renewals++;
        return 'renewed';
      },
      fetch: async () => new Response(JSON.stringify({ code: 'invalid_password', detail: 'the password is wrong' }),
        { status: 401, headers: { 'Content-Type': 'application/problem+json' } }),
    });
    await expect(api.call('DELETE', '/api/account', { password: 'wrong' })).rejects.toMatchObject({ status: 401, code: 'invalid_password' });
    expect(renewals).toBe(0);
    expect(unauthorized).toBe(0);
  });
});

describe('the second factor field', () => {
  it('sends six digits as an authenticator code and anything else as a recovery code', () => {
    const both = ['totp', 'recovery_code'];
    expect(secondFactorOf(' 123 456 ', both)).toEqual({ code: '123456' });
    expect(secondFactorOf('ABCDE-12345', both)).toEqual({ recoveryCode: 'ABCDE-12345' });
    expect(secondFactorOf('12345', ['totp'])).toBeNull();
    expect(secondFactorOf('', both)).toBeNull();
  });
});
