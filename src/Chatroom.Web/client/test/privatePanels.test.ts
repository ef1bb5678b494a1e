// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BlockListPanel, MembersPanel } from '../src/chat/privatePanels';
import type { RoomMemberView } from '../src/types';

const me = { id: 'u-me', name: 'Me' };

afterEach(() => vi.unstubAllGlobals());
const member = (userId: string, role: RoomMemberView['role'], name: string | null): RoomMemberView => ({ userId, role, since: '2026-12-07T10:00:00Z', name });

/** Lets the panel's awaited calls settle (their promises are already resolved). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

const testid = (root: HTMLElement, id: string): HTMLElement[] => [...root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];

describe('private room members', () => {
  it('shows the owner the members by name with Remove, and invites by user name', async () => {
    const actions = {
      members: vi.fn().mockResolvedValue([member('u-me', 'owner', 'Me'), member('u-bo', 'member', '<b>Bo</b>'), member('u-cy', 'pending', 'Cy'), member('u-di', 'declined', 'Di')]),
      invite: vi.fn().mockResolvedValue(undefined),
      removeMember: vi.fn().mockResolvedValue(undefined),
    };
    const panel = new MembersPanel(me, actions);
    panel.showRoom('plans', true);
    expect(panel.toggle.hidden).toBe(false);
    panel.toggle.click();
    await settle();

    const rows = testid(panel.element, 'member');
    expect(rows.map((r) => r.textContent)).toEqual(['Me (you)owner', '<b>Bo</b>memberRemove', 'CyinvitedRemove']);
    expect(panel.element.querySelector('b')).toBeNull();

    (testid(panel.element, 'member-invite-name')[0] as HTMLInputElement).value = ' dee ';
    (panel.element.querySelector('form') as HTMLFormElement).requestSubmit();
    await settle();
    expect(actions.invite).toHaveBeenCalledWith('plans', 'dee');
    expect(testid(panel.element, 'members-message')[0]!.textContent).toContain('Invited dee');

    vi.stubGlobal('confirm', () => true);
    testid(panel.element, 'member-remove')[0]!.click();
    await settle();
    expect(actions.removeMember).toHaveBeenCalledWith('plans', 'u-bo');
  });

  it('offers a member Leave instead, and shows nothing for public or direct rooms', async () => {
    const actions = {
      members: vi.fn().mockResolvedValue([member('u-ana', 'owner', 'Ana'), member('u-me', 'member', 'Me')]),
      invite: vi.fn(),
      removeMember: vi.fn().mockResolvedValue(undefined),
    };
    const panel = new MembersPanel(me, actions);
    panel.showRoom('lobby', false);
    expect(panel.toggle.hidden).toBe(true);

    panel.showRoom('plans', true);
    panel.toggle.click();
    await settle();
    expect(testid(panel.element, 'member-remove')).toHaveLength(0);
    expect(testid(panel.element, 'member-invite-name')).toHaveLength(0);
    vi.stubGlobal('confirm', () => true);
    testid(panel.element, 'members-leave')[0]!.click();
    await settle();
    expect(actions.removeMember).toHaveBeenCalledWith('plans', 'u-me');
    expect(panel.element.hidden).toBe(true);
  });
});

describe('block list', () => {
  it('lists the people you block when opened, and unblocks one', async () => {
    let people = [{ id: 'u-eve', name: 'Eve' }, { id: 'u-gone', name: null }];
    const actions = {
      blocks: vi.fn(() => Promise.resolve({ blocked: people.map((p) => p.id), people })),
      unblock: vi.fn((id: string) => { people = people.filter((p) => p.id !== id); return Promise.resolve(); }),
    };
    const panel = new BlockListPanel(actions);
    panel.element.open = true;
    panel.element.dispatchEvent(new Event('toggle'));
    await settle();
    expect(testid(panel.element, 'blocked-person').map((p) => p.firstChild!.textContent)).toEqual(['Eve', 'A deleted account']);

    testid(panel.element, 'unblock')[0]!.click();
    await settle();
    expect(actions.unblock).toHaveBeenCalledWith('u-eve');
    expect(testid(panel.element, 'blocked-person')).toHaveLength(1);
    expect(testid(panel.element, 'block-list-message')[0]!.textContent).toBe('Eve can message you again.');
  });
});
