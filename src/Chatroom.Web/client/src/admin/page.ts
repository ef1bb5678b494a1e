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
