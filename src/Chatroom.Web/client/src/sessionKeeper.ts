import { ApiError, type RenewOutcome } from './api';
import { adminSessionKey, chatSessionKey, clearSession, loadSession, saveSession } from './session';
import type { Session } from './types';

/** Renew at most this long before the access token expires (and at least a fifth of its life before). */
const maxLead = 60_000;
/** After a network or server failure, ask again this soon (the access token may still be good meanwhile). */
const retryDelay = 5_000;
/**
 * localStorage key of the recent rotations (spent refresh token → the pair that replaced it). A duplicated tab starts
 * with a copy of its opener's sessionStorage, so two tabs can hold the same single-use refresh token: the one that
 * renews second adopts the first one's pair instead of spending the dead token (which would end the session for both).
 * Entries live only while their access token does.
 */
export const rotationsKey = 'chatroom.admin-rotations';

/**
 * Where a kind of session lives: the admin console's and a chat account's are kept apart (one tab can chat as one
 * person and moderate as another), each with its own lock and rotations.
 */
export interface SessionSlot {
  /** sessionStorage key of the session. */
  storageKey: string;
  /** Tabs of this origin renew one at a time under this Web Lock. */
  lockName: string;
  /** localStorage key of the rotations. */
  rotationsKey: string;
}

export const adminSlot: SessionSlot = { storageKey: adminSessionKey, lockName: 'chatroom.admin-refresh', rotationsKey };
/** The chat's session: a guest's (nothing to renew) or an account's. */
export const chatSlot: SessionSlot = { storageKey: chatSessionKey, lockName: 'chatroom.refresh', rotationsKey: 'chatroom.rotations' };
const maxRotations = 8;

/** Milliseconds from `now` until the pair should be renewed: shortly before `expiresAt`, never negative. */
export function refreshDelay(expiresAt: string, now: number): number {
  const remaining = Date.parse(expiresAt) - now;
  if (Number.isNaN(remaining)) return 0;
  const lead = Math.min(maxLead, Math.max(1_000, remaining / 5));
  return Math.max(0, remaining - lead);
}

/** The part of the Web Locks API used here (navigator.locks). */
export interface ExclusiveLocks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

export interface SessionKeeperOptions {
  /** POST /api/auth/refresh. */
  refresh(refreshToken: string): Promise<Session>;
  /** The server refused to renew: the session is over (it is already cleared). */
  onEnded(): void;
  /** This tab's session (sessionStorage by default). */
  storage?: Storage;
  /** Which session (the admin console's by default). */
  slot?: SessionSlot;
  /** Shared between the tabs of the origin (localStorage), for rotations; null: this tab only. */
  shared?: Storage | null;
  locks?: ExclusiveLocks | null;
  /** Where `storage` events of other tabs arrive (window). */
  events?: EventTarget | null;
  now?: () => number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/**
 * An account session (the admin console's, or a chat account's): keeps the access token fresh with the single-use refresh token, renews before
 * expiry and after a 401, never sends a refresh token twice (one renewal at a time per tab and, with Web Locks, per
 * origin), and reports the end of the session when the server refuses.
 */
export class SessionKeeper {
  private readonly storage: Storage;
  private readonly slot: SessionSlot;
  private readonly now: () => number;
  private readonly setTimer: (callback: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private timer: unknown = null;
  private inflight: Promise<RenewOutcome> | null = null;
  private stopped = true;

  constructor(private readonly options: SessionKeeperOptions) {
    this.storage = options.storage ?? sessionStorage;
    this.slot = options.slot ?? adminSlot;
    this.now = options.now ?? (() => Date.now());
    this.setTimer = options.setTimer ?? ((callback, ms) => window.setTimeout(callback, ms));
    this.clearTimer = options.clearTimer ?? ((handle) => window.clearTimeout(handle as number));
    options.events?.addEventListener('storage', (event) => {
      if ((event as StorageEvent).key === this.slot.rotationsKey && !this.stopped) this.adoptRotations();
    });
  }

  get session(): Session | null {
    return loadSession(this.storage, this.now(), this.slot.storageKey);
  }

  token(): string | null {
    return this.session?.token ?? null;
  }

  /** A new session from the sign-in form. */
  begin(session: Session): void {
    this.stopped = false;
    this.keep(session);
  }

  /** The session this tab kept (a reload), renewed on schedule; null when there is none. */
  resume(): Session | null {
    const session = this.session;
    if (!session) return null;
    this.stopped = false;
    return this.adoptRotations() ?? session;
  }

  /** Signed out: forget the session (a renewal under way finds nothing to renew). */
  stop(): void {
    this.stopped = true;
    this.cancelTimer();
    clearSession(this.storage, this.slot.storageKey);
    this.pruneRotations([]);
  }

  /** The access token, renewed first when it is due (the hub asks before each connect and reconnect). */
  async freshToken(): Promise<string> {
    const session = this.session;
    if (!session) return '';
    if (session.refreshToken && refreshDelay(session.expiresAt, this.now()) === 0) await this.renew(session.token);
    return this.token() ?? '';
  }

  /**
   * Renews the pair, unless `seen` (the access token the caller holds, e.g. the one a 401 refused) was replaced
   * already: then the caller just retries with the current one. Concurrent callers share one renewal.
   */
  renew(seen: string): Promise<RenewOutcome> {
    if (this.inflight) return this.inflight;
    const work = (): Promise<RenewOutcome> => this.renewNow(seen);
    const run = this.options.locks ? this.options.locks.request(this.slot.lockName, work) : work();
    this.inflight = run.finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async renewNow(seen: string): Promise<RenewOutcome> {
    if (this.stopped) return 'ended';
    const current = this.adoptRotations();
    if (!current?.refreshToken) return this.end();
    if (current.token !== seen) return 'renewed';
    let next: Session;
    try {
      next = await this.options.refresh(current.refreshToken);
    } catch (error) {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429) {
        return this.end();
      }
      // Network or server trouble says nothing about the session: keep it and ask again soon.
      if (!this.stopped) this.schedule(current, retryDelay);
      return 'unavailable';
    }
    if (this.stopped) return 'ended';
    this.recordRotation(current.refreshToken, next);
    this.keep(next);
    return 'renewed';
  }

  private end(): RenewOutcome {
    if (this.stopped) return 'ended';
    this.stop();
    this.options.onEnded();
    return 'ended';
  }

  private keep(session: Session): void {
    saveSession(session, this.storage, this.slot.storageKey);
    this.schedule(session);
  }

  private schedule(session: Session, delay = refreshDelay(session.expiresAt, this.now())): void {
    this.cancelTimer();
    if (!session.refreshToken) return;
    this.timer = this.setTimer(() => {
      this.timer = null;
      void this.renew(session.token);
    }, delay);
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }

  /** Takes over the pair another tab got for this tab's refresh token, if any; returns the session as it is now. */
  private adoptRotations(): Session | null {
    let session = this.session;
    const rotations = this.readRotations();
    let adopted = false;
    for (let hops = 0; session?.refreshToken && rotations[session.refreshToken] && hops < maxRotations; hops++) {
      session = rotations[session.refreshToken]!;
      adopted = true;
    }
    if (session && adopted) this.keep(session);
    else if (session) this.schedule(session);
    return session;
  }

  private recordRotation(spent: string, next: Session): void {
    this.pruneRotations([[spent, next]]);
  }

  /** Drops the rotations whose access token expired (a live tab renews before that), then adds `added`. */
  private pruneRotations(added: [string, Session][]): void {
    const shared = this.options.shared;
    if (!shared) return;
    const now = this.now();
    const kept = Object.entries(this.readRotations())
      .filter(([, session]) => Date.parse(session.expiresAt) > now)
      .slice(-(maxRotations - added.length));
    try {
      if (kept.length + added.length === 0) shared.removeItem(this.slot.rotationsKey);
      else shared.setItem(this.slot.rotationsKey, JSON.stringify(Object.fromEntries([...kept, ...added])));
    } catch {
      // A full or blocked localStorage only costs the hand-over between duplicated tabs.
    }
  }

  private readRotations(): Record<string, Session> {
    const raw = this.options.shared?.getItem(this.slot.rotationsKey);
    if (!raw) return {};
    try {
      const parsed = JSON.parse(raw) as unknown;
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, Session>) : {};
    } catch {
      return {};
    }
  }
}
