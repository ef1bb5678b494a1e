import type { ApiClient } from '../api';
import { ChatHub } from '../hub';
import { h } from '../lib/dom';
import type { ClientConfig } from '../types';
import { AdminApi } from './adminApi';
import { AgentsPage } from './agents';
import { AuditPage } from './audit';
import { BotsPage } from './bots';
import { BridgesPage } from './bridges';
import { DashboardPage } from './dashboard';
import { GuardianPage } from './guardian';
import { GuardianApi } from './guardianApi';
import { IntegrationsApi } from './integrationsApi';
import type { AdminPage } from './page';
import { QueuePage } from './queue';
import { RoomsPage } from './rooms';
import type { SessionKeeper } from '../sessionKeeper';
import type { AnalysisEvent } from './types';
import { UsersPage } from './users';
import { WebhooksPage } from './webhooks';

type PageKey = 'dashboard' | 'queue' | 'guardian' | 'rooms' | 'users' | 'agents' | 'bots' | 'webhooks' | 'bridges' | 'audit';

const routes: readonly { key: PageKey; path: string; label: string }[] = [
  { key: 'dashboard', path: '/admin', label: 'Dashboard' },
  { key: 'queue', path: '/admin/queue', label: 'Review queue' },
  { key: 'guardian', path: '/admin/guardian', label: 'Guardian cases' },
  { key: 'rooms', path: '/admin/rooms', label: 'Rooms' },
  { key: 'users', path: '/admin/users', label: 'Users' },
  { key: 'agents', path: '/admin/agents', label: 'Agents' },
  { key: 'bots', path: '/admin/bots', label: 'Bots' },
  { key: 'webhooks', path: '/admin/webhooks', label: 'Webhooks' },
  { key: 'bridges', path: '/admin/bridges', label: 'Bridges' },
  { key: 'audit', path: '/admin/audit', label: 'Audit log' },
];

/** The pages a moderator works in: the two review queues (the API refuses them the rest). */
const moderatorPages: readonly PageKey[] = ['queue', 'guardian'];

/** The pages a staff role sees: admins all of them, moderators the review queues. */
export function adminPagesFor(role: string | undefined): readonly PageKey[] {
  return role === 'admin' ? routes.map((r) => r.key) : moderatorPages;
}

/** `/admin/queue` → 'queue'; anything else under /admin → the first page the role sees (the dashboard for admins). */
export function adminPageFromPath(path: string, role: string | undefined = 'admin'): PageKey {
  const clean = path.replace(/\/+$/, '') || '/admin';
  const allowed = adminPagesFor(role);
  const key = routes.find((r) => r.path === clean)?.key;
  return key !== undefined && allowed.includes(key) ? key : allowed[0]!;
}

/** The admin console: navigation, the hub connection (admins get `analysis` events) and the pages. */
export class AdminApp {
  readonly element: HTMLElement;
  private readonly hub: ChatHub;
  private readonly pages: Record<PageKey, AdminPage>;
  private readonly links = new Map<PageKey, HTMLAnchorElement>();
  private readonly connection: HTMLElement;
  private readonly queueCount: HTMLElement;
  private readonly main: HTMLElement;
  private current: PageKey | null = null;
  private stopped = false;
  /** The access token the hub last connected with: a 401 names it when asking the keeper for a new one. */
  private hubToken = '';
  /** The signed-in staff role: a moderator sees the review queues only. */
  private readonly role: string | undefined;

  constructor(
    private readonly session: SessionKeeper,
    api: ApiClient,
    config: ClientConfig,
    private readonly onSignedOut: (notice: string | null) => void,
  ) {
    this.role = session.session?.user.role;
    const isAdmin = this.role === 'admin';
    const admin = new AdminApi(api);
    const queue = new QueuePage(admin, (n) => this.setQueueCount(n));
    this.pages = {
      dashboard: new DashboardPage(admin),
      queue,
      guardian: new GuardianPage(new GuardianApi(api), isAdmin),
      rooms: new RoomsPage(admin),
      users: new UsersPage(admin),
      agents: new AgentsPage(admin),
      bots: new BotsPage(new IntegrationsApi(api)),
      webhooks: new WebhooksPage(new IntegrationsApi(api)),
      bridges: new BridgesPage(api),
      audit: new AuditPage(admin),
    };
    // Asked before every connect and reconnect: an expired token is renewed first, so the hub comes back by itself.
    const accessToken = async (): Promise<string> => (this.hubToken = await session.freshToken());
    this.hub = new ChatHub(`${config.apiBase}${config.hubUrl}`, accessToken, {
      message: () => undefined,
      messageHidden: () => undefined,
      presence: () => undefined,
      typing: () => undefined,
      system: () => undefined,
      analysis: (e) => this.onAnalysis(e),
      reconnecting: () => this.setConnection('reconnecting'),
      reconnected: () => this.setConnection('connected'),
      closed: () => {
        if (this.stopped) return;
        this.setConnection('disconnected');
        window.setTimeout(() => void this.connect(), 3000);
      },
    });

    this.queueCount = h('span', { class: 'unread-badge', testid: 'queue-count', attrs: { hidden: true } });
    const nav = h('nav', { class: 'admin-nav', testid: 'admin-nav', attrs: { 'aria-label': 'Admin' } },
      ...routes.filter((r) => adminPagesFor(this.role).includes(r.key)).map((r) => {
        const link = h('a', {
          class: 'nav-link', testid: `nav-${r.key}`, attrs: { href: r.path },
          on: { click: (e) => { if (!e.ctrlKey && !e.metaKey && !e.shiftKey) { e.preventDefault(); this.go(r.key, true); } } },
        }, r.label, r.key === 'queue' ? this.queueCount : null);
        this.links.set(r.key, link);
        return link;
      }));
    this.connection = h('span', { class: 'connection', testid: 'admin-connection', attrs: { role: 'status' } });
    const topbar = h('header', { class: 'topbar' },
      h('div', { class: 'brand' }, h('span', { class: 'brand-mark', attrs: { 'aria-hidden': 'true' } }, '●'), 'Chatroom ', h('span', { class: 'muted' }, 'admin')),
      this.connection,
      h('a', { class: 'ghost-button', attrs: { href: '/' } }, 'Open chat'),
      h('button', { class: 'ghost-button', testid: 'admin-sign-out', attrs: { type: 'button' }, on: { click: () => this.signOut(null) } }, 'Sign out'));
    this.main = h('main', { class: 'admin-main', attrs: { id: 'admin-main', tabindex: -1 } }, ...Object.values(this.pages).map((p) => p.element));
    for (const page of Object.values(this.pages)) page.element.hidden = true;
    this.element = h('div', { class: 'admin app' }, topbar, h('div', { class: 'admin-layout' }, nav, this.main));
    this.setConnection('connecting');
  }

  start(): void {
    window.addEventListener('popstate', this.onPopState);
    this.go(adminPageFromPath(location.pathname, this.role), false);
    void (this.pages.queue as QueuePage).countOpen();
    void this.connect();
  }

  signOut(notice: string | null): void {
    if (this.stopped) return;
    this.stopped = true;
    window.removeEventListener('popstate', this.onPopState);
    if (this.current) this.pages[this.current].hide();
    void this.hub.stop();
    this.onSignedOut(notice);
  }

  private async connect(): Promise<void> {
    let renewed = false;
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await this.hub.start();
        this.setConnection('connected');
        return;
      } catch (error) {
        if (this.stopped) return;
        if (/\b401\b|Unauthorized/i.test(String(error))) {
          // Once per connect: a token refused right after renewal means the account itself was shut out.
          const outcome = renewed ? 'ended' : await this.session.renew(this.hubToken);
          renewed = true;
          if (outcome === 'renewed') continue;
          if (outcome === 'ended') {
            this.signOut('Your session ended; sign in again.');
            return;
          }
        }
        this.setConnection('disconnected');
        await new Promise((resolve) => window.setTimeout(resolve, Math.min(10_000, 1000 * 2 ** attempt)));
      }
    }
  }

  private go(key: PageKey, push: boolean): void {
    if (this.current === key) return;
    if (this.current) {
      this.pages[this.current].hide();
      this.pages[this.current].element.hidden = true;
    }
    this.current = key;
    const route = routes.find((r) => r.key === key)!;
    if (push && location.pathname !== route.path) window.history.pushState({}, '', route.path);
    for (const [k, link] of this.links) {
      if (k === key) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    this.pages[key].element.hidden = false;
    this.pages[key].show();
    document.title = `${route.label} · Chatroom admin`;
  }

  private onAnalysis(event: AnalysisEvent): void {
    for (const page of Object.values(this.pages)) page.onAnalysis?.(event);
  }

  private setQueueCount(count: number): void {
    this.queueCount.textContent = count > 99 ? '99+' : String(count);
    this.queueCount.hidden = count === 0;
    this.queueCount.setAttribute('aria-label', `${count} open`);
  }

  private setConnection(status: 'connecting' | 'connected' | 'reconnecting' | 'disconnected'): void {
    this.connection.dataset.status = status;
    this.connection.textContent = status === 'connected' ? 'Live' : status === 'connecting' ? 'Connecting…' : status === 'reconnecting' ? 'Reconnecting…' : 'Offline, retrying';
  }

  private readonly onPopState = (): void => this.go(adminPageFromPath(location.pathname, this.role), false);
}
