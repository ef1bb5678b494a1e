import './styles.css';
import type { AdminApp } from './admin/app';
import { AccountApi } from './account/accountApi';
import { confirmEmailPage, resetPasswordPage } from './account/emailLinks';
import { awaitingGuardianNotice, guardianHold } from './account/guardian/claims';
import { GuardianApi } from './account/guardian/guardianApi';
import { guestMode, signInView } from './account/signIn';
import { adminSignInView } from './admin/signIn';
import { ApiClient } from './api';
import { ChatController } from './chat/controller';
import { loadConfig } from './config';
import { chatSlot, SessionKeeper } from './sessionKeeper';
import type { ClientConfig, Session } from './types';

const readOnlyGuest = 'Guests can read here but not post. Sign in with an account to take part.';
const sessionEnded = 'Your session has ended. Please sign in again.';
const guardianSignIn =
  'A child asked for your consent. Sign in, or sign up and confirm your address, to answer. Guardians need two-step sign-in (an authenticator app).';

/** The chat, its sign-in screen, the account page (/account) and the pages email links open (/account/…). */
function bootChat(root: HTMLElement, config: ClientConfig): void {
  let chat: ChatController | null = null;

  const api: ApiClient = new ApiClient({
    apiBase: config.apiBase,
    token: () => keeper.token(),
    renew: (rejected) => keeper.renew(rejected),
    onUnauthorized: () => ended(sessionEnded),
  });
  // One keeper for guests and accounts: a guest's session has no refresh token, so it just ends with its token.
  const keeper: SessionKeeper = new SessionKeeper({
    refresh: (refreshToken) => api.refresh(refreshToken),
    onEnded: () => ended(sessionEnded),
    shared: sharedStorage(),
    locks: 'locks' in navigator ? navigator.locks : null,
    events: window,
    slot: chatSlot,
  });
  const accounts = new AccountApi(api);
  const guardians = new GuardianApi(api);
  const guests = guestMode(config.guests);

  function ended(notice: string): void {
    if (chat) chat.signOut(notice);
    else showSignIn(notice);
  }

  const showSignIn = (notice: string | null): void => {
    chat = null;
    keeper.stop();
    root.replaceChildren(signInView({ api, accounts, guests, notice, onSignedIn: begin }));
  };

  /** Signing out on purpose ends an account's session on the server too (its refresh token dies with it). */
  const signedOut = (notice: string | null): void => {
    if (notice === null && keeper.session?.refreshToken) void accounts.signOut(false).catch(() => undefined);
    // Leaving the account page signed out: the next sign-in opens the chat.
    if (location.pathname.startsWith('/account')) window.history.replaceState({}, '', '/');
    showSignIn(notice);
  };

  function begin(session: Session): void {
    keeper.begin(session);
    if (location.pathname.startsWith('/account')) void showAccount(session);
    else startChat(session);
  }

  function startChat(session: Session): void {
    const readOnly = guests === 'read-only' && !session.refreshToken ? readOnlyGuest
      : guardianHold(session.token) ? awaitingGuardianNotice : null;
    chat = new ChatController(session, api, config, signedOut, keeper, readOnly);
    root.replaceChildren(chat.element);
    void chat.start();
  }

  async function showAccount(session: Session): Promise<void> {
    if (!session.refreshToken) {
      // A guest has no account page: back to the chat.
      window.history.replaceState({}, '', '/');
      startChat(session);
      return;
    }
    chat = null;
    const path = location.pathname.replace(/\/+$/, '');
    if (path === '/account/guardian/consent') {
      const { consentPage } = await import('./account/guardian/consentPage');
      root.replaceChildren(consentPage(guardians, location.search, () => signedOut(null)));
      return;
    }
    if (path === '/account/guardian/minors') {
      const { minorsPage } = await import('./account/guardian/minorsPage');
      root.replaceChildren(minorsPage(guardians, () => signedOut(null)));
      return;
    }
    // The account page (with the QR code library) loads only when opened: the chat stays small.
    const { AccountPage } = await import('./account/accountPage');
    const renew = async (): Promise<void> => {
      const token = keeper.token();
      if (token) await keeper.renew(token);
    };
    const account = new AccountPage(accounts, session, signedOut, { api: guardians, renew });
    root.replaceChildren(account.element);
    void account.start();
  }

  const path = location.pathname.replace(/\/+$/, '');
  if (path === '/account/confirm-email') {
    root.replaceChildren(confirmEmailPage(accounts, location.search));
    return;
  }
  if (path === '/account/reset-password') {
    root.replaceChildren(resetPasswordPage(accounts, location.search));
    return;
  }
  const session = keeper.resume();
  if (!session) showSignIn(path === '/account/guardian/consent' ? guardianSignIn : null);
  else if (path === '/account' || path.startsWith('/account/guardian/')) void showAccount(session);
  else startChat(session);
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
    // Moderators come in too: the console shows them the review queues only (AdminApp).
    if (session.user.role !== 'admin' && session.user.role !== 'moderator') {
      showSignIn('That session is not an admin or moderator session.');
      return;
    }
    if (!resumed) keeper.begin(session);
    // The console and its charting library load only for staff: the chat stays small.
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
