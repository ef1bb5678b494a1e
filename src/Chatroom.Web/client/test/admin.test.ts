import { describe, expect, it } from 'vitest';
import { adminPageFromPath } from '../src/admin/app';
import { describe as describeError, parseHubError } from '../src/lib/errors';
import { applyLiveMessage } from '../src/lib/messages';
import { msg } from './fixtures';

describe('admin routes', () => {
  it('maps paths to pages', () => {
    expect(adminPageFromPath('/admin')).toBe('dashboard');
    expect(adminPageFromPath('/admin/')).toBe('dashboard');
    expect(adminPageFromPath('/admin/queue')).toBe('queue');
    expect(adminPageFromPath('/admin/agents/')).toBe('agents');
    expect(adminPageFromPath('/admin/nope')).toBe('dashboard');
  });
});

describe('restored messages', () => {
  it('replaces a hidden message by id when it comes back', () => {
    const list = [msg(1), msg(2, { hidden: true, text: '' })];
    const next = applyLiveMessage(list, msg(2, { text: 'back again' }));
    expect(next[1]).toMatchObject({ id: 2, hidden: false, text: 'back again' });
    expect(next[0]).toBe(list[0]);
  });

  it('keeps the same list for a copy it already has, and appends new ones', () => {
    const list = [msg(1)];
    expect(applyLiveMessage(list, msg(1))).toBe(list);
    expect(applyLiveMessage(list, msg(2)).map((m) => m.id)).toEqual([1, 2]);
  });
});

describe('moderation refusals in plain words', () => {
  it('explains a locked room and a mute', () => {
    expect(parseHubError(new Error("An unexpected error occurred invoking 'SendMessage' on the server. HubException: room_locked: 'lobby' is locked; only admins can post")).message)
      .toBe("Room locked: 'lobby' is locked; only admins can post.");
    expect(describeError('muted', 'you are muted for 300 s more')).toBe('You are muted in this room: you are muted for 300 s more.');
  });
});
