import { describe, expect, it } from 'vitest';
import { findIndexById, firstId, hideMessage, lastId, mergeMessages } from '../src/lib/messages';
import { ids, msg } from './fixtures';

describe('mergeMessages', () => {
  it('appends newer messages in order', () => {
    expect(ids(mergeMessages([msg(1), msg(2)], [msg(3), msg(4)]))).toEqual([1, 2, 3, 4]);
  });

  it('keeps each id once when live events and missed messages overlap', () => {
    const merged = mergeMessages([msg(1), msg(2), msg(3)], [msg(2), msg(3), msg(4), msg(4), msg(5)]);
    expect(ids(merged)).toEqual([1, 2, 3, 4, 5]);
  });

  it('sorts older pages and out-of-order arrivals by id', () => {
    expect(ids(mergeMessages([msg(10), msg(11)], [msg(7), msg(9), msg(8)]))).toEqual([7, 8, 9, 10, 11]);
    expect(ids(mergeMessages([msg(1), msg(5)], [msg(3)]))).toEqual([1, 3, 5]);
  });

  it('returns the same array when nothing is new, so the view can skip work', () => {
    const existing = [msg(1), msg(2)];
    expect(mergeMessages(existing, [msg(1), msg(2)])).toBe(existing);
    expect(mergeMessages(existing, [])).toBe(existing);
  });

  it('keeps the first copy of a message but never loses a hidden flag', () => {
    const merged = mergeMessages([msg(1, { text: 'original' })], [msg(1, { text: 'other', hidden: true })]);
    expect(merged).toHaveLength(1);
    expect(merged[0]!.text).toBe('original');
    expect(merged[0]!.hidden).toBe(true);

    const stillHidden = mergeMessages([msg(1, { hidden: true })], [msg(1, { hidden: false })]);
    expect(stillHidden[0]!.hidden).toBe(true);
  });

  it('does not modify its inputs', () => {
    const existing = [msg(1), msg(3)];
    const incoming = [msg(2)];
    mergeMessages(existing, incoming);
    expect(ids(existing)).toEqual([1, 3]);
    expect(ids(incoming)).toEqual([2]);
  });
});

describe('message list helpers', () => {
  it('hides a message by id without touching the others', () => {
    const list = [msg(1), msg(2), msg(3)];
    const hidden = hideMessage(list, 2);
    expect(hidden[1]!.hidden).toBe(true);
    expect(hidden[0]).toBe(list[0]);
    expect(list[1]!.hidden).toBe(false);
    expect(hideMessage(hidden, 2)).toBe(hidden);
    expect(hideMessage(list, 99)).toBe(list);
  });

  it('finds first, last and any id', () => {
    const list = [msg(4), msg(8), msg(15), msg(16), msg(23)];
    expect(firstId(list)).toBe(4);
    expect(lastId(list)).toBe(23);
    expect(firstId([])).toBeNull();
    expect(lastId([])).toBeNull();
    expect(findIndexById(list, 16)).toBe(3);
    expect(findIndexById(list, 5)).toBe(-1);
  });
});
