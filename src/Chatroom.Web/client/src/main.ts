import './styles.css';
import type { AdminApp } from './admin/app';
import { SessionKeeper } from './admin/sessionKeeper';
import { adminSignInView } from './admin/signIn';
import { ApiClient } from './api';
import { ChatController } from './chat/controller';
import { loadConfig } from './config';
import { clearSession, loadSession, saveSession } from './session';
import type { ClientConfig, Session } from './types';
import { signInView } from './ui/signIn';

function bootChat(root: HTMLElement, config: ClientConfig): void {
  let chat: ChatController | null = null;

  const api = new ApiClient({
    apiBase: config.apiBase,
    token: () => loadSession()?.token ?? null,
    onUnauthorized: () => chat?.signOut('Your session has ended. Please sign in again.'),
  });

  const showSignIn = (notice: string | null): void => {
    chat = null;
    clearSession();
    root.replaceChildren(signInView(api, startChat, notice));
  };

  function startChat(session: Session): void {
    saveSession(session);
    chat = new ChatController(session, api, config, showSignIn);
    root.replaceChildren(chat.element);
    void chat.start();
  }

  const session = loadSession();
  if (session) startChat(session);
  else showSignIn(null);
}

/** Where duplicated tabs hand over renewed tokens; the console works without it (private modes may block it). */
function sharedStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** /admin…: the admin console, with its own session (an admin account's tokens, renewed as they expire). */
function bootAdmin(root: HTMLElement, config: ClientConfig): void {
  const ended = 'Your session ended; sign in again.';
  let app: AdminApp | null = null;

  const api: ApiClient = new ApiClient({
    apiBase: config.apiBase,
    token: () => keeper.token(),
    renew: (rejected) => keeper.renew(rejected),
    onUnauthorized: () => endSession(),
  });
  const keeper: SessionKeeper = new SessionKeeper({
    refresh: (refreshToken) => api.refresh(refreshToken),
    onEnded: () => endSession(),
    shared: sharedStorage(),
    locks: 'locks' in navigator ? navigator.locks : null,
    events: window,
  });

  function endSession(): void {
    if (app) app.signOut(ended);
    else showSignIn(ended);
  }

  const showSignIn = (notice: string | null): void => {
    app = null;
    keeper.stop();
    root.replaceChildren(adminSignInView(api, (s) => void start(s), notice));
  };

  const signedOut = (notice: string | null): void => {
    // Signing out on purpose ends the session on the server too (its refresh token dies with it).
    if (notice === null && keeper.token()) void api.call('POST', '/api/auth/logout', { everywhere: false }).catch(() => undefined);
    showSignIn(notice);
  };

  async function start(session: Session, resumed = false): Promise<void> {
    if (session.user.role !== 'admin') {
      showSignIn('That session is not an admin session.');
      return;
    }
    if (!resumed) keeper.begin(session);
    // The console and its charting library load only for admins: the chat stays small.
    const { AdminApp } = await import('./admin/app');
    app = new AdminApp(keeper, api, config, signedOut);
    root.replaceChildren(app.element);
    app.start();
  }

  const session = keeper.resume();
  if (session) void start(session, true);
  else showSignIn(null);
}

async function boot(root: HTMLElement): Promise<void> {
  const config = await loadConfig();
  if (/^\/admin(\/|$)/.test(location.pathname)) bootAdmin(root, config);
  else bootChat(root, config);
}

void boot(document.getElementById('app')!);
