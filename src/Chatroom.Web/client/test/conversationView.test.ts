// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { RoomState } from '../src/chat/roomState';
import { ChatView, type ChatViewActions } from '../src/chat/view';
import { msg } from './fixtures';

const me = { id: 'u-me', name: 'Me', role: 'user' };

function view(): { view: ChatView; actions: Record<string, ReturnType<typeof vi.fn>> } {
  const calls: Record<string, ReturnType<typeof vi.fn>> = {};
  // Every action is a spy, so each test asks only about the ones it uses.
  const actions = new Proxy({}, { get: (_, name: string) => (calls[name] ??= vi.fn()) }) as unknown as ChatViewActions;
  return { view: new ChatView(me, actions, 2000, { account: true, roomLabel: (room) => (room === 'dm-a' ? 'Ana' : null) }), actions: calls };
}

describe('ChatView conversations', () => {
  it('shows a request\'s sender and preview as text, with Accept, Decline and Report', () => {
    const { view: v, actions } = view();
    v.renderConversations([{ room: 'dm-a', label: 'Ana', unread: 0, pending: true }],
      [{ room: 'dm-a', kind: 'direct', from: { id: 'u-ana', name: '<i>Ana</i>' }, preview: '<img src=x onerror="alert(1)">hi' }], null);
    const card = v.root.querySelector('[data-testid="conversation-request"]')!;
    expect(card.querySelector('img')).toBeNull();
    expect(card.querySelector('i')).toBeNull();
    expect(card.querySelector('[data-testid="request-from"]')!.textContent).toBe('<i>Ana</i> wants to message you');
    expect(card.querySelector('[data-testid="request-preview"]')!.textContent).toBe('<img src=x onerror="alert(1)">hi');
    // A request is answered first: it is not also a line of the list.
    expect(v.root.querySelectorAll('[data-testid="conversation-item"]')).toHaveLength(0);

    (card.querySelector('[data-testid="request-accept"]') as HTMLButtonElement).click();
    expect(actions.acceptRequest).toHaveBeenCalledWith('dm-a');
    (card.querySelector('[data-testid="request-decline"]') as HTMLButtonElement).click();
    expect(actions.declineRequest).toHaveBeenCalledWith('dm-a');
  });

  it('lists conversations with unread badges and names a direct one by the other person', () => {
    const { view: v, actions } = view();
    v.renderConversations([{ room: 'dm-a', label: 'Ana', unread: 3, pending: false }, { room: 'club', label: '#club', unread: 0, pending: false }], [], 'club');
    const items = [...v.root.querySelectorAll('[data-testid="conversation-item"]')];
    expect(items.map((i) => i.querySelector('[data-testid="conversation-name"]')!.textContent)).toEqual(['Ana', 'club']);
    expect(items[0]!.querySelector('[data-testid="unread-badge"]')!.textContent).toBe('3');
    expect(items[1]!.querySelector('[data-testid="unread-badge"]')).toBeNull();
    (items[0] as HTMLButtonElement).click();
    expect(actions.openRoom).toHaveBeenCalledWith('dm-a');

    v.showRoom(new RoomState('dm-a'), null);
    expect(v.root.querySelector('[data-testid="room-title"]')!.textContent).toBe('Ana');
  });

  it('offers Message, Block and Report on others\' messages only, and the safety notice is a line of its own', () => {
    const { view: v, actions } = view();
    const state = new RoomState('lobby');
    state.addMessages([msg(1), msg(2, { authorId: me.id, authorName: me.name })]);
    v.showRoom(state, null);
    expect(v.root.querySelector('[data-id="2"] [data-testid="person-actions"]')).toBeNull();
    (v.root.querySelector('[data-id="1"] [data-testid="person-message"]') as HTMLButtonElement).click();
    expect(actions.openDirect).toHaveBeenCalledWith({ id: 'u-ana', name: 'Ana' });

    vi.stubGlobal('prompt', () => '  keeps\nasking  for my address ');
    (v.root.querySelector('[data-id="1"] [data-testid="person-report"]') as HTMLButtonElement).click();
    expect(actions.report).toHaveBeenCalledWith('lobby', { id: 'u-ana', name: 'Ana' }, 1, 'keeps asking for my address');

    const line = v.root.querySelector('[data-testid="safety-notice"]') as HTMLElement;
    expect(line.hidden).toBe(true);
    v.renderSafety('Ana is an adult you have not talked to before.');
    expect(line.hidden).toBe(false);
    expect(line.textContent).toBe('Ana is an adult you have not talked to before.');
    vi.unstubAllGlobals();
  });

  it('shows a guest no private-conversation actions', () => {
    const actions = new Proxy({}, { get: () => vi.fn() }) as unknown as ChatViewActions;
    const guest = new ChatView(me, actions, 2000, { account: false });
    const state = new RoomState('lobby');
    state.addMessages([msg(1)]);
    state.presence({ id: 'u-ana', name: 'Ana' }, 'joined', 1);
    guest.showRoom(state, null);
    expect(guest.root.querySelector('[data-testid="person-actions"]')).toBeNull();
    expect(guest.root.querySelector('[data-testid="new-room-private"]')).toBeNull();
  });
});
