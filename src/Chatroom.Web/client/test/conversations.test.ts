import { describe, expect, it } from 'vitest';
import { ApiClient } from '../src/api';
import { ConversationList } from '../src/chat/conversations';
import { describe as describeError, parseHubError } from '../src/lib/errors';
import type { ConversationSummary } from '../src/types';
import { msg } from './fixtures';

const me = 'u-me';
const ana = { id: 'u-ana', name: 'Ana' };

function direct(room: string, partial: Partial<ConversationSummary> = {}): ConversationSummary {
  return {
    room, visibility: 'direct', topic: null, role: 'member', with: ana.id, members: 2,
    lastMessage: { id: 3, authorId: ana.id, authorName: ana.name, preview: 'see you thursday', sentAt: '2026-12-07T09:02:40Z' },
    unread: 1, ...partial,
  };
}

describe('ConversationList', () => {
  it('starts from the server\'s unread count and adds only newer messages from others, once each', () => {
    const list = new ConversationList(me);
    list.setList([direct('dm-a')]);
    expect(list.unread('dm-a')).toBe(1);

    expect(list.received(msg(3, { room: 'dm-a' }), false)).toBe(false); // the server counted it already
    expect(list.received(msg(4, { room: 'dm-a' }), false)).toBe(true);
    expect(list.received(msg(4, { room: 'dm-a' }), false)).toBe(false);
    expect(list.received(msg(5, { room: 'dm-a', authorId: me, authorName: 'Me' }), false)).toBe(false);
    expect(list.received(msg(6, { room: 'dm-a' }), true)).toBe(false); // being looked at
    expect(list.received(msg(7, { room: 'lobby' }), false)).toBe(false); // not a conversation
    expect(list.unread('dm-a')).toBe(2);
    expect(list.total()).toBe(2);

    list.markRead('dm-a');
    expect(list.unread('dm-a')).toBe(0);
    expect(list.lastMessageId('dm-a')).toBe(6);
  });

  it('calls a direct conversation by the other person\'s name and a private room by its own, latest first', () => {
    const list = new ConversationList(me);
    list.setList([
      direct('dm-old', { lastMessage: { id: 1, authorId: me, authorName: 'Me', preview: 'hi', sentAt: '2026-12-01T09:00:00Z' }, with: 'u-bo' }),
      { ...direct('club'), visibility: 'private', with: null, topic: 'chess', lastMessage: null, unread: 0 },
      direct('dm-a'),
    ]);
    list.learn({ id: 'u-bo', name: 'Bo' });
    expect(list.list().map((e) => e.label)).toEqual(['Ana', 'Bo', '#club']);
    expect(list.partner('dm-a')).toEqual(ana);
  });

  it('holds a request until it is answered, and a conversation opened here before the server lists it', () => {
    const list = new ConversationList(me);
    list.request({ room: 'dm-a', from: ana, preview: 'hi, it is <b>ana</b>', sentAt: '2026-12-07T09:01:12Z' });
    expect(list.pendingRequests()).toEqual([{ room: 'dm-a', kind: 'direct', from: ana, preview: 'hi, it is <b>ana</b>' }]);
    expect(list.list()).toEqual([{ room: 'dm-a', label: 'Ana', unread: 0, pending: true }]);

    // The server still marks it pending: it stays; once it no longer does, it was answered elsewhere.
    list.setList([direct('dm-a', { role: 'pending' })]);
    expect(list.pendingRequests()).toHaveLength(1);
    list.answered('dm-a', true);
    expect(list.pendingRequests()).toEqual([]);
    expect(list.list()).toEqual([{ room: 'dm-a', label: 'Ana', unread: 1, pending: false }]);

    list.opened('dm-b', { id: 'u-cy', name: 'Cy' });
    expect(list.has('dm-b')).toBe(true);
    expect(list.label('dm-b')).toBe('Cy');
    list.setList([]);
    expect(list.has('dm-a')).toBe(false);
  });

  it('turns a pending entry of the server\'s list into a request, and an invitation names the room', () => {
    const list = new ConversationList(me);
    list.setList([direct('dm-a', { role: 'pending' })]);
    expect(list.pendingRequests()[0]).toMatchObject({ kind: 'direct', from: ana, preview: 'see you thursday' });

    list.invite({ room: 'club', topic: 'chess on thursdays', from: ana });
    expect(list.label('club')).toBe('#club');
    list.answered('club', false);
    expect(list.has('club')).toBe(false);
  });

  it('keeps a safety notice per room until the person leaves it', () => {
    const list = new ConversationList(me);
    list.setList([direct('dm-a')]);
    list.safetyNotice('dm-a', 'This person is an adult you have not talked to before.');
    expect(list.safetyFor('dm-a')).toBe('This person is an adult you have not talked to before.');
    list.removed('dm-a');
    expect(list.safetyFor('dm-a')).toBeNull();
  });
});

describe('private-conversation refusals', () => {
  it.each([
    ['recipient_unavailable', 'This person cannot be reached privately'],
    ['request_pending', 'Your message request has not been accepted yet'],
    ['request_declined', 'This person declined your message request'],
    ['direct_messages_off', 'Private messages are turned off for your account'],
  ])('%s reads as a sentence', (code, start) => {
    const problem = parseHubError(new Error(`An unexpected error occurred invoking 'SendMessage' on the server. HubException: ${code}: details`));
    expect(problem.code).toBe(code);
    expect(problem.message.startsWith(start)).toBe(true);
    expect(describeError(code)).toMatch(/^[A-Z].*\.$/);
  });
});

describe('ApiClient conversation calls', () => {
  it('creates a private room with its visibility and reports a person by id', async () => {
    const sent: { method: string; url: string; body: unknown }[] = [];
    const api = new ApiClient({
      apiBase: '',
      token: () => 't',
      fetch: async (input, init) => {
        sent.push({ method: init?.method ?? 'GET', url: String(input), body: init?.body ? JSON.parse(String(init.body)) : null });
        return new Response(JSON.stringify({ name: 'club', topic: null, createdAt: '', present: 0 }), { status: 201 });
      },
    });
    await api.createRoom('club', undefined, 'private');
    await api.createRoom('lobby-2', 'hello');
    await api.report({ room: 'dm-a', userId: 'u-ana', reason: 'spam' });
    expect(sent).toEqual([
      { method: 'POST', url: '/api/rooms', body: { name: 'club', visibility: 'private' } },
      { method: 'POST', url: '/api/rooms', body: { name: 'lobby-2', topic: 'hello' } },
      { method: 'POST', url: '/api/reports', body: { room: 'dm-a', userId: 'u-ana', reason: 'spam' } },
    ]);
  });
});
