import { describe, expect, it } from 'vitest';
import { adminPageFromPath } from '../src/admin/app';
import { bridgeState, bridgesSummary, type BridgeStatus } from '../src/admin/bridges';

const bridge = (name: string, state: BridgeStatus['state']): BridgeStatus => ({
  name, url: 'wss://peer.example/ws', state, holder: state === 'standby' ? null : 'analysis-1', connectedSince: null,
  lastError: null, lastErrorAt: null, messagesIn: 0, messagesOut: 0, dropped: 0, updatedAt: '2026-12-07T09:00:00Z',
});

describe('bridges page', () => {
  it('has its own route', () => {
    expect(adminPageFromPath('/admin/bridges')).toBe('bridges');
  });

  it('says each state in words, and shows a state it does not know as it came', () => {
    expect(bridgeState('connected')).toEqual({ label: 'Connected', pill: 'pill-ok' });
    expect(bridgeState('backoff').label).toBe('Waiting to reconnect');
    expect(bridgeState('standby').pill).toBe('');
    expect(bridgeState('paused')).toEqual({ label: 'paused', pill: '' });
  });

  it('sums up how many are connected and how many wait to reconnect', () => {
    expect(bridgesSummary([])).toMatch(/^No bridges are configured/);
    expect(bridgesSummary([bridge('a', 'connected'), bridge('b', 'standby')])).toBe('1 of 2 connected.');
    expect(bridgesSummary([bridge('a', 'connected'), bridge('b', 'backoff')])).toBe('1 of 2 connected, 1 waiting to reconnect.');
  });
});
