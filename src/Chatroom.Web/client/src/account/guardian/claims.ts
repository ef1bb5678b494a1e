/**
 * The `grd` claim of an access token: present while a minor's account waits for a guardian's consent (or was declined).
 * The server refuses sending from it (`guardian_consent_required`); the client reads it only to say so up front.
 */
export function guardianHold(token: string): string | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const claims = JSON.parse(json) as { grd?: unknown };
    return typeof claims.grd === 'string' && claims.grd ? claims.grd : null;
  } catch {
    return null;
  }
}

/** What the chat says to a minor whose guardian has not approved yet (the composer stays off). */
export const awaitingGuardianNotice =
  'Your account is waiting for your parent or guardian to approve it. You can read public rooms now; open Your account to ask them.';

/** Who may send a first private message, as the pages say it. */
export const directMessageChoices: readonly { value: 'off' | 'contacts' | 'everyone'; label: string }[] = [
  { value: 'off', label: 'Nobody (private messages off)' },
  { value: 'contacts', label: 'Only accepted contacts' },
  { value: 'everyone', label: 'Anyone (always as a request first)' },
];
