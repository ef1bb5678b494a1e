import type { MinutePoint, Verdict, VerdictCounts } from './types';

const minuteMs = 60_000;

/** Per-minute counts over a window, one slot per minute (minutes with nothing are zeros). */
export interface MinuteSeries {
  /** Start of each minute, ms since the epoch, oldest first. */
  starts: number[];
  messages: number[];
  unsafe: number[];
  happy: number[];
  neutral: number[];
  sad: number[];
  llmTokens: number[];
}

export function minuteStart(ms: number): number {
  return Math.floor(ms / minuteMs) * minuteMs;
}

/** Lays the server's sparse points (minutes with none are omitted) onto the last `minutes` minutes up to now. */
export function fillMinutes(points: readonly MinutePoint[], minutes: number, now: number): MinuteSeries {
  const last = minuteStart(now);
  const first = last - (minutes - 1) * minuteMs;
  const series: MinuteSeries = { starts: [], messages: [], unsafe: [], happy: [], neutral: [], sad: [], llmTokens: [] };
  const byStart = new Map<number, MinutePoint>();
  for (const p of points) {
    const start = minuteStart(Date.parse(p.minute));
    if (!Number.isNaN(start)) byStart.set(start, p);
  }
  for (let t = first; t <= last; t += minuteMs) {
    const p = byStart.get(t);
    series.starts.push(t);
    series.messages.push(p?.messages ?? 0);
    series.unsafe.push(p?.unsafe ?? 0);
    series.happy.push(p?.happy ?? 0);
    series.neutral.push(p?.neutral ?? 0);
    series.sad.push(p?.sad ?? 0);
    series.llmTokens.push(p?.llmTokens ?? 0);
  }
  return series;
}

/**
 * Counts one live verdict into the minute it arrived in, sliding the window forward when a new
 * minute began (so the charts move between two fetches of the series).
 */
export function addVerdict(series: MinuteSeries, verdict: Pick<Verdict, 'mood' | 'safety'>, now: number): void {
  const start = minuteStart(now);
  if (series.starts.length === 0) return;
  while (series.starts[series.starts.length - 1]! < start) {
    const next = series.starts[series.starts.length - 1]! + minuteMs;
    for (const key of ['starts', 'messages', 'unsafe', 'happy', 'neutral', 'sad', 'llmTokens'] as const) {
      series[key].shift();
      series[key].push(key === 'starts' ? next : 0);
    }
  }
  const i = series.starts.lastIndexOf(start);
  if (i < 0) return;
  series.messages[i]! += 1;
  if (verdict.safety === 'unsafe') series.unsafe[i]! += 1;
  if (verdict.mood === 'happy' || verdict.mood === 'neutral' || verdict.mood === 'sad') series[verdict.mood][i]! += 1;
}

/** The average per minute over the last `window` minutes of a series (the current, partial one included). */
export function ratePerMinute(values: readonly number[], window = 5): number {
  const tail = values.slice(-window);
  if (tail.length === 0) return 0;
  return tail.reduce((a, b) => a + b, 0) / tail.length;
}

/** "3", "0.4", "12": one decimal below ten, none above. */
export function formatRate(value: number): string {
  if (value === 0) return '0';
  return value < 10 ? value.toFixed(1).replace(/\.0$/, '') : Math.round(value).toString();
}

export function formatPercent(share: number): string {
  if (!Number.isFinite(share) || share <= 0) return '0%';
  if (share < 0.01) return '<1%';
  return `${Math.round(share * 100)}%`;
}

/** Mood shares of a window, summing to 1 (all zero when nothing was analysed). */
export function moodShares(counts: Pick<VerdictCounts, 'happy' | 'neutral' | 'sad'>): { happy: number; neutral: number; sad: number } {
  const total = counts.happy + counts.neutral + counts.sad;
  if (total === 0) return { happy: 0, neutral: 0, sad: 0 };
  return { happy: counts.happy / total, neutral: counts.neutral / total, sad: counts.sad / total };
}

/** Unsafe categories, largest first. */
export function topCategories(byCategory: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(byCategory).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

const alertNames: Readonly<Record<string, string>> = {
  unsafe_share_rising: 'Unsafe share rising',
  mood_turning: 'Mood turning sad',
};

export function describeAlert(alert: string, share: number): string {
  const name = alertNames[alert] ?? alert.replace(/_/g, ' ');
  return `${name} (${formatPercent(share)} in the last 15 minutes)`;
}

const actionNames: Readonly<Record<string, string>> = {
  flag: 'flagged for review',
  hide: 'hidden',
  mute: 'author muted',
  slow_mode: 'slow mode on',
};

export function describeAction(action: string | null): string {
  return action ? actionNames[action] ?? action.replace(/_/g, ' ') : 'no action';
}
