import { describe, expect, it } from 'vitest';
import { describeTyping, Throttle, TypingTracker } from '../src/lib/typing';

describe('Throttle', () => {
  it('lets one call through per interval', () => {
    let now = 1_000;
    const throttle = new Throttle(2000, () => now);
    expect(throttle.tryFire()).toBe(true);
    now += 500;
    expect(throttle.tryFire()).toBe(false);
    now += 1499;
    expect(throttle.tryFire()).toBe(false);
    now += 1;
    expect(throttle.tryFire()).toBe(true);
  });

  it('sends at most one Typing per 2 s while someone types steadily', () => {
    let now = 0;
    const throttle = new Throttle(2000, () => now);
    let sent = 0;
    for (; now < 10_000; now += 100) if (throttle.tryFire()) sent++;
    expect(sent).toBe(5);
  });

  it('fires at once again after a reset', () => {
    let now = 0;
    const throttle = new Throttle(2000, () => now);
    throttle.tryFire();
    now = 10;
    throttle.reset();
    expect(throttle.tryFire()).toBe(true);
  });
});

describe('TypingTracker', () => {
  const ana = { id: 'a', name: 'Ana' };
  const bo = { id: 'b', name: 'Bo' };

  it('lists people until their notice expires', () => {
    const tracker = new TypingTracker(4000);
    tracker.seen(ana, 0);
    tracker.seen(bo, 1000);
    expect(tracker.active(3999)).toEqual(['Ana', 'Bo']);
    expect(tracker.nextExpiry()).toBe(4000);
    expect(tracker.active(4000)).toEqual(['Bo']);
    expect(tracker.active(5000)).toEqual([]);
    expect(tracker.nextExpiry()).toBeNull();
  });

  it('extends a person who keeps typing and drops one who sent', () => {
    const tracker = new TypingTracker(4000);
    tracker.seen(ana, 0);
    tracker.seen(ana, 3000);
    expect(tracker.active(6000)).toEqual(['Ana']);
    tracker.stopped('a');
    expect(tracker.active(6000)).toEqual([]);
  });
});

describe('describeTyping', () => {
  it('words the indicator', () => {
    expect(describeTyping([])).toBe('');
    expect(describeTyping(['Ana'])).toBe('Ana is typing…');
    expect(describeTyping(['Ana', 'Bo'])).toBe('Ana and Bo are typing…');
    expect(describeTyping(['Ana', 'Bo', 'Cy'])).toBe('Ana, Bo and Cy are typing…');
    expect(describeTyping(['Ana', 'Bo', 'Cy', 'Di', 'Ed'])).toBe('Ana, Bo and 3 others are typing…');
  });
});
