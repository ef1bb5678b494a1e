import { h } from '../lib/dom';
import { formatPercent, moodShares } from './series';
import type { VerdictCounts } from './types';

/** A KPI tile: a big number, its name and a line of context. */
export class Tile {
  readonly element: HTMLElement;
  private readonly value: HTMLElement;
  private readonly note: HTMLElement;

  constructor(testid: string, label: string, note = '') {
    this.value = h('div', { class: 'tile-value', testid: `${testid}-value` }, '–');
    this.note = h('div', { class: 'tile-note' }, note);
    this.element = h('section', { class: 'tile', testid, attrs: { 'aria-label': label } }, h('div', { class: 'tile-label' }, label), this.value, this.note);
  }

  set(value: string, note?: string): void {
    this.value.textContent = value;
    if (note !== undefined) this.note.textContent = note;
  }
}

/** A horizontal bar of happy / neutral / sad shares, with the numbers as text for screen readers. */
export function moodBar(counts: VerdictCounts): HTMLElement {
  const shares = moodShares(counts);
  const bar = h('div', { class: 'mood-bar', attrs: { role: 'img', 'aria-label': `happy ${formatPercent(shares.happy)}, neutral ${formatPercent(shares.neutral)}, sad ${formatPercent(shares.sad)}` } });
  for (const mood of ['happy', 'neutral', 'sad'] as const) {
    const part = h('span', { class: `mood-${mood}`, attrs: { title: `${mood} ${counts[mood]}` } });
    part.style.width = `${shares[mood] * 100}%`;
    bar.append(part);
  }
  if (counts.total === 0) bar.classList.add('empty');
  return bar;
}

/** A card with a title, optional tools on the right, and a body. */
export function card(title: string, body: HTMLElement, ...tools: HTMLElement[]): HTMLElement {
  return h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, title), ...tools), body);
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const shortTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function ago(iso: string, now = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.round((t - now) / 1000);
  if (Math.abs(s) < 60) return relative.format(s, 'second');
  if (Math.abs(s) < 3600) return relative.format(Math.round(s / 60), 'minute');
  if (Math.abs(s) < 86_400) return relative.format(Math.round(s / 3600), 'hour');
  return dateTime.format(new Date(t));
}

export function clock(ms: number): string {
  return shortTime.format(new Date(ms));
}

export function when(iso: string): HTMLElement {
  const t = Date.parse(iso);
  return h('time', { attrs: { datetime: iso, title: Number.isNaN(t) ? iso : dateTime.format(new Date(t)) } }, ago(iso));
}

/** The reason a staff decision needs: trimmed, or null after saying so in `error` and focusing the field. */
export function requireReason(
  reason: HTMLInputElement,
  error: HTMLElement,
  missing = 'Write a reason first: every decision is kept in the audit log.',
): string | null {
  const why = reason.value.trim();
  if (!why) {
    error.textContent = missing;
    reason.focus();
    return null;
  }
  error.textContent = '';
  return why;
}
