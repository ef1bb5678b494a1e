import { describe, expect, it } from 'vitest';
import { adminPageFromPath, adminPagesFor } from '../src/admin/app';
import { parseGuardianSettings } from '../src/admin/guardianSettings';
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

  it('gives a moderator the review queues only, landing on the flag queue', () => {
    expect(adminPagesFor('moderator')).toEqual(['queue', 'guardian']);
    expect(adminPageFromPath('/admin', 'moderator')).toBe('queue');
    expect(adminPageFromPath('/admin/audit', 'moderator')).toBe('queue');
    expect(adminPageFromPath('/admin/guardian', 'moderator')).toBe('guardian');
    expect(adminPagesFor('admin')).toContain('audit');
  });
});

describe('guardian agent settings form', () => {
  const form = { threshold: '0.85', windowMessages: '40', windowAgeHours: '12', maxNewMinorContacts: '3', contactPeriodHours: '6' };

  it('sends minutes, and an empty threshold as the fitted one', () => {
    expect(parseGuardianSettings(form)).toEqual({ threshold: 0.85, windowMessages: 40, windowAgeMinutes: 720, maxNewMinorContacts: 3, contactPeriodMinutes: 360 });
    expect(parseGuardianSettings({ ...form, threshold: ' ' })).toMatchObject({ threshold: null });
  });

  it('says what is out of range before asking the server', () => {
    expect(parseGuardianSettings({ ...form, threshold: '1.5' })).toMatch(/threshold/);
    expect(parseGuardianSettings({ ...form, windowMessages: '3' })).toMatch(/4 to 200 messages/);
    expect(parseGuardianSettings({ ...form, windowAgeHours: '0.1' })).toMatch(/10 minutes/);
    expect(parseGuardianSettings({ ...form, maxNewMinorContacts: 'five' })).toMatch(/2 to 1000/);
    expect(parseGuardianSettings({ ...form, contactPeriodHours: '800' })).toMatch(/720 hours/);
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
