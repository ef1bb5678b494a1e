import './styles.css';
import type { AdminApp } from './admin/app';
import { adminSignInView } from './admin/signIn';
import { ApiClient } from './api';
import { ChatController } from './chat/controller';
import { loadConfig } from './config';
import { adminSessionKey, clearSession, loadSession, saveSession } from './session';
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

/** /admin…: the admin console, with its own session (an admin token from the admin password). */
function bootAdmin(root: HTMLElement, config: ClientConfig): void {
  let app: AdminApp | null = null;
  const load = (): Session | null => loadSession(sessionStorage, Date.now(), adminSessionKey);

  const api = new ApiClient({
    apiBase: config.apiBase,
    token: () => load()?.token ?? null,
    onUnauthorized: () => app?.signOut('Your admin session has ended. Please sign in again.'),
  });

  const showSignIn = (notice: string | null): void => {
    app = null;
    clearSession(sessionStorage, adminSessionKey);
    root.replaceChildren(adminSignInView(api, (s) => void start(s), notice));
  };

  async function start(session: Session): Promise<void> {
    if (session.user.role !== 'admin') {
      showSignIn('That session is not an admin session.');
      return;
    }
    saveSession(session, sessionStorage, adminSessionKey);
    // The console and its charting library load only for admins: the chat stays small.
    const { AdminApp } = await import('./admin/app');
    app = new AdminApp(session, api, config, showSignIn);
    root.replaceChildren(app.element);
    app.start();
  }

  const session = load();
  if (session) void start(session);
  else showSignIn(null);
}

async function boot(root: HTMLElement): Promise<void> {
  const config = await loadConfig();
  if (/^\/admin(\/|$)/.test(location.pathname)) bootAdmin(root, config);
  else bootChat(root, config);
}

void boot(document.getElementById('app')!);
