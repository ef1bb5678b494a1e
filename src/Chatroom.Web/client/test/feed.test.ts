import { describe, expect, it } from 'vitest';
import { mergeFeed, type FeedEntry } from '../src/admin/feed';

const entry = (room: string, messageId: number, at: number, live = false, action: FeedEntry['action'] = null): FeedEntry => ({
  room, messageId, authorName: 'Ana', at, live, action,
  verdict: { mood: 'neutral', moodScore: 0, safety: action ? 'unsafe' : 'safe', unsafeScore: 0, categories: [], tier: 'embedded', confidence: 1 },
});
const ids = (feed: readonly FeedEntry[]) => feed.map((e) => `${e.room}/${e.messageId}`);

describe('the verdict feed', () => {
  it('shows the verdicts read back on open, newest first, within the cap', () => {
    const feed = mergeFeed([], [entry('lobby', 1, 100), entry('lobby', 3, 300), entry('games', 1, 200)], 2);
    expect(ids(feed)).toEqual(['lobby/3', 'games/1']);
  });

  it('adds live verdicts on top without repeating a message the read-back already showed', () => {
    const opened = mergeFeed([], [entry('lobby', 2, 200), entry('lobby', 1, 100)], 40);
    const feed = mergeFeed(opened, [entry('lobby', 2, 250, true, 'hide'), entry('lobby', 3, 300, true)], 40);
    expect(ids(feed)).toEqual(['lobby/3', 'lobby/2', 'lobby/1']);
    expect(feed[1]).toMatchObject({ live: true, action: 'hide' });
  });

  it('keeps the live line when the read-back arrives after it', () => {
    const live = mergeFeed([], [entry('lobby', 5, 500, true, 'mute')], 40);
    const feed = mergeFeed(live, [entry('lobby', 5, 490, false, 'hide'), entry('lobby', 4, 400)], 40);
    expect(ids(feed)).toEqual(['lobby/5', 'lobby/4']);
    expect(feed[0]).toMatchObject({ live: true, action: 'mute' });
  });

  it('tells the same message id in two rooms apart', () => {
    expect(ids(mergeFeed([entry('lobby', 1, 100)], [entry('games', 1, 200)], 40))).toEqual(['games/1', 'lobby/1']);
  });

  it('drops the oldest lines beyond the cap as live ones arrive', () => {
    let feed: FeedEntry[] = [];
    for (let i = 1; i <= 45; i++) feed = mergeFeed(feed, [entry('lobby', i, i * 10, true)], 40);
    expect(feed).toHaveLength(40);
    expect(feed[0]!.messageId).toBe(45);
    expect(feed[39]!.messageId).toBe(6);
  });
});
