import type { AnalysisEvent } from './types';

/** One screen of the admin console. Pages are built once and kept, so live state survives switching. */
export interface AdminPage {
  readonly element: HTMLElement;
  /** Shown (again): fetch what it shows. */
  show(): void;
  hide(): void;
  /** Every live analysis event, whether the page is shown or not. */
  onAnalysis?(event: AnalysisEvent): void;
}

/** Runs `fn` at most once per `ms`, the last call winning (live events trigger refetches). */
export function debounce(fn: () => void, ms: number): () => void {
  let timer: number | undefined;
  return () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(fn, ms);
  };
}

/**
 * Keeps a page fresh while it is shown: fetches on show, then every `everyMs`, and shortly after a live event
 * (`nudge`, debounced by `soonMs`); stops when the page is hidden.
 */
export class Poller {
  private timer: number | undefined;
  private shown = false;
  private readonly soon: () => void;

  constructor(private readonly refresh: () => Promise<void>, private readonly everyMs: number, soonMs: number) {
    this.soon = debounce(() => void this.refresh(), soonMs);
  }

  get isShown(): boolean {
    return this.shown;
  }

  start(): void {
    this.shown = true;
    void this.refresh();
    window.clearInterval(this.timer);
    this.timer = window.setInterval(() => void this.refresh(), this.everyMs);
  }

  stop(): void {
    this.shown = false;
    window.clearInterval(this.timer);
  }

  /** Refreshes shortly, when the page is shown. */
  nudge(): void {
    if (this.shown) this.soon();
  }
}
