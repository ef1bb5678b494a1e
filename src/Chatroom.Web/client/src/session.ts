import type { Session } from './types';

const key = 'chatroom.session';

/** The signed-in session of this tab (sessionStorage: each tab can be a different person). */
export function loadSession(storage: Storage = sessionStorage, now = Date.now()): Session | null {
  const raw = storage.getItem(key);
  if (!raw) return null;
  try {
    const session = JSON.parse(raw) as Session;
    if (!session.token || !session.user?.id) return null;
    const expires = Date.parse(session.expiresAt);
    if (!Number.isNaN(expires) && expires <= now) {
      storage.removeItem(key);
      return null;
    }
    return session;
  } catch {
    storage.removeItem(key);
    return null;
  }
}

export function saveSession(session: Session, storage: Storage = sessionStorage): void {
  storage.setItem(key, JSON.stringify(session));
}

export function clearSession(storage: Storage = sessionStorage): void {
  storage.removeItem(key);
}
