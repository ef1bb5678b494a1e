// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src/api';
import { awaitingGuardianNotice, guardianHold } from '../src/account/guardian/claims';
import { consentPage } from '../src/account/guardian/consentPage';
import type { GuardianApi } from '../src/account/guardian/guardianApi';
import type { ConsentView } from '../src/account/guardian/types';

/** A JWT with these claims (the signature is not the client's business). */
function token(claims: Record<string, unknown>): string {
  const part = (value: unknown): string => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${part({ alg: 'HS256' })}.${part(claims)}.signature`;
}

const view: ConsentView = {
  minor: { id: 'a_1', userName: 'kid_1', displayName: 'Kid <b>One</b>', age: 12 },
  guardianEmail: 'parent@example.org',
  expiresAt: '2026-12-14T08:00:00Z',
  allowed: { publicRooms: true, directMessages: 'contacts', messageRequests: true, guardianSees: 'safety events' },
  you: { adult: true, secondFactor: false },
};

describe('the guardian hold', () => {
  it('reads the grd claim of a waiting minor and nothing else', () => {
    expect(guardianHold(token({ sub: 'a_1', grd: 'pending' }))).toBe('pending');
    expect(guardianHold(token({ sub: 'a_1' }))).toBeNull();
    expect(guardianHold('not-a-jwt')).toBeNull();
    expect(awaitingGuardianNotice).toContain('guardian');
  });
});

describe('the consent page', () => {
  it('prompts for two-step sign-in and keeps approving off without it; names are text, not markup', async () => {
    const api = { consent: () => Promise.resolve(view) } as unknown as GuardianApi;
    const page = consentPage(api, '?token=t1', () => undefined);
    await vi.waitFor(() => expect(page.querySelector('[data-testid="consent-2fa-prompt"]')).not.toBeNull());
    expect((page.querySelector('[data-testid="consent-approve"]') as HTMLButtonElement).disabled).toBe(true);
    expect(page.querySelector('[data-testid="consent-minor"]')!.textContent).toBe('Kid <b>One</b>');
    expect(page.querySelector('b')).toBeNull();
  });

  it('says what a used link means', async () => {
    const api = { consent: () => Promise.reject(new ApiError(410, 'consent_used', 'this consent link was used already')) } as unknown as GuardianApi;
    const page = consentPage(api, '?token=t1', () => undefined);
    await vi.waitFor(() => expect(page.querySelector('[data-testid="consent-error"]')!.textContent).toBe('This request was answered already. Each link works once.'));
  });
});
