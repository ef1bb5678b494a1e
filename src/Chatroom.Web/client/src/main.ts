import './styles.css';
import { ApiClient } from './api';
import { ChatController } from './chat/controller';
import { loadConfig } from './config';
import { clearSession, loadSession, saveSession } from './session';
import type { Session } from './types';
import { signInView } from './ui/signIn';

async function boot(root: HTMLElement): Promise<void> {
  const config = await loadConfig();
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

void boot(document.getElementById('app')!);
