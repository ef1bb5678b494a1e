import type { Session } from './types';

/** A chat session (a guest's, or an account's with its refresh token). */
export const chatSessionKey = 'chatroom.session';
const key = chatSessionKey;
/** The admin console keeps its own session, so one tab can chat as a guest and moderate in another. */
export const adminSessionKey = 'chatroom.admin-session';

/** The signed-in session of this tab (sessionStorage: each tab can be a different person). */
export function loadSession(storage: Storage = sessionStorage, now = Date.now(), name = key): Session | null {
  const raw = storage.getItem(name);
  if (!raw) return null;
  try {
    const session = JSON.parse(raw) as Session;
    if (!session.token || !session.user?.id) return null;
    // With a refresh token the session lasts as long as that token: an expired access token is renewed, not a sign-out.
    const expires = Date.parse(session.refreshToken ? session.refreshExpiresAt ?? '' : session.expiresAt);
    if (!Number.isNaN(expires) && expires <= now) {
      storage.removeItem(name);
      return null;
    }
    return session;
  } catch {
    storage.removeItem(name);
    return null;
  }
}

export function saveSession(session: Session, storage: Storage = sessionStorage, name = key): void {
  storage.setItem(name, JSON.stringify(session));
}

export function clearSession(storage: Storage = sessionStorage, name = key): void {
  storage.removeItem(name);
}
