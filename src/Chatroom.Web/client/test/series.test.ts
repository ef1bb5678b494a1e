import { describe, expect, it } from 'vitest';
import { addVerdict, describeAlert, fillMinutes, formatPercent, formatRate, moodShares, ratePerMinute, topCategories } from '../src/admin/series';

const now = Date.UTC(2026, 10, 22, 12, 30, 20);
const point = (minute: number, messages: number, unsafe = 0, llmTokens = 0) => ({
  minute: new Date(Date.UTC(2026, 10, 22, 12, minute)).toISOString(), messages, happy: messages - unsafe, neutral: 0, sad: unsafe, unsafe, llmTokens,
});

describe('fillMinutes', () => {
  it('puts sparse points on a full window ending at the current minute', () => {
    const series = fillMinutes([point(28, 4, 1), point(30, 2)], 5, now);
    expect(series.starts).toHaveLength(5);
    expect(series.starts[4]).toBe(Date.UTC(2026, 10, 22, 12, 30));
    expect(series.messages).toEqual([0, 0, 4, 0, 2]);
    expect(series.unsafe).toEqual([0, 0, 1, 0, 0]);
  });

  it('carries the tokens spent per minute', () => {
    const series = fillMinutes([point(29, 1, 0, 640), point(30, 0, 0, 120)], 3, now);
    expect(series.llmTokens).toEqual([0, 640, 120]);
    expect(ratePerMinute(series.llmTokens, 2)).toBe(380);
  });

  it('drops points outside the window', () => {
    expect(fillMinutes([point(10, 9)], 5, now).messages).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('addVerdict', () => {
  it('counts a live verdict into the current minute', () => {
    const series = fillMinutes([], 3, now);
    addVerdict(series, { mood: 'sad', safety: 'unsafe' }, now);
    expect(series.messages).toEqual([0, 0, 1]);
    expect(series.unsafe).toEqual([0, 0, 1]);
    expect(series.sad).toEqual([0, 0, 1]);
  });

  it('slides the window when a new minute began', () => {
    const series = fillMinutes([point(30, 2)], 3, now);
    addVerdict(series, { mood: 'happy', safety: 'safe' }, now + 2 * 60_000);
    expect(series.messages).toEqual([2, 0, 1]);
    expect(series.happy).toEqual([2, 0, 1]);
    expect(series.starts[2]).toBe(Date.UTC(2026, 10, 22, 12, 32));
  });
});

describe('numbers for people', () => {
  it('averages the last minutes', () => {
    expect(ratePerMinute([9, 0, 1, 2, 3, 4, 5], 5)).toBe(3);
    expect(ratePerMinute([], 5)).toBe(0);
  });

  it('formats rates and shares', () => {
    expect(formatRate(0)).toBe('0');
    expect(formatRate(2.6)).toBe('2.6');
    expect(formatRate(3)).toBe('3');
    expect(formatRate(12.4)).toBe('12');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.004)).toBe('<1%');
    expect(formatPercent(0.25)).toBe('25%');
  });

  it('computes mood shares and sorts categories', () => {
    expect(moodShares({ happy: 1, neutral: 1, sad: 2 })).toEqual({ happy: 0.25, neutral: 0.25, sad: 0.5 });
    expect(moodShares({ happy: 0, neutral: 0, sad: 0 })).toEqual({ happy: 0, neutral: 0, sad: 0 });
    expect(topCategories({ spam: 1, harassment: 3, hate: 0 })).toEqual([['harassment', 3], ['spam', 1]]);
  });

  it('names trend alerts', () => {
    expect(describeAlert('unsafe_share_rising', 0.3)).toBe('Unsafe share rising (30% in the last 15 minutes)');
    expect(describeAlert('mood_turning', 0.5)).toBe('Mood turning sad (50% in the last 15 minutes)');
  });
});
