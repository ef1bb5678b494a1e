import type { ConnectionStatus } from './view';

/** How long to wait before start attempt `attempt + 1` after `attempt` failed ones: 1 s, doubling, at most 10 s. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(10_000, 1000 * 2 ** attempt);
}

/** What the connection keeper needs from the page. */
export interface ConnectionHooks {
  /** Starts the hub connection; rejects when it could not. */
  start(): Promise<void>;
  /** The connection is up (first start, SignalR's own reconnect, or a restart here): join the rooms again. */
  connected(): Promise<void>;
  /** The connection dropped: the server no longer counts this tab in any room. */
  lost(): void;
  status(status: ConnectionStatus): void;
  /**
   * The server refused the token (401): get a new one if the session can (an account's refresh token). True: start
   * again at once with it. Left out or false: `unauthorized` follows.
   */
  renewToken?(): Promise<boolean>;
  /** The server refused the token (401) and no new one could be had: starting again cannot help. */
  unauthorized(): void;
}

/**
 * Keeps the hub connection up. SignalR's automatic reconnect covers a working connection that drops; this covers the
 * first start and a connection SignalR gave up on: it starts again with back-off until it works, the token is
 * refused, the page stops it, or the person asks to try now.
 */
export class ConnectionKeeper {
  private stopped = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly hooks: ConnectionHooks,
    private readonly delayMs: (attempt: number) => number = reconnectDelayMs,
  ) {}

  async connect(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await this.hooks.start();
        await this.connected();
        return;
      } catch (error) {
        if (this.stopped) return;
        if (/\b401\b|Unauthorized/i.test(String(error))) {
          if (this.hooks.renewToken && (await this.hooks.renewToken()) && !this.stopped) continue;
          this.hooks.unauthorized();
          return;
        }
        this.hooks.status('disconnected');
        await this.sleep(this.delayMs(attempt));
      }
    }
  }

  /** SignalR reconnected on its own. */
  async connected(): Promise<void> {
    if (this.stopped) return;
    this.hooks.status('connected');
    await this.hooks.connected();
  }

  /** SignalR lost the connection and is trying again on its own. */
  reconnecting(): void {
    this.hooks.lost();
    this.hooks.status('reconnecting');
  }

  /** SignalR gave up (or the server closed the connection): start again from here. */
  closed(): void {
    if (this.stopped) return;
    this.hooks.lost();
    this.hooks.status('disconnected');
    void this.connect();
  }

  /** Ends the current wait between attempts at once. */
  retryNow(): void {
    this.wake?.();
  }

  /** No more attempts; a wait in progress ends now. */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
