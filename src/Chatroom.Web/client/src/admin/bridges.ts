import { ApiError, type ApiClient } from '../api';
import { h, replaceChildren } from '../lib/dom';
import { Poller, type AdminPage } from './page';
import { when } from './widgets';

export type BridgeState = 'connected' | 'connecting' | 'backoff' | 'standby';

/** One bridge as `GET /api/admin/bridges` shows it (never its auth header). */
export interface BridgeStatus {
  name: string;
  url: string;
  state: BridgeState;
  holder: string | null;
  connectedSince: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  messagesIn: number;
  messagesOut: number;
  dropped: number;
  updatedAt: string;
}

const states: Record<BridgeState, { label: string; pill: string }> = {
  connected: { label: 'Connected', pill: 'pill-ok' },
  connecting: { label: 'Connecting', pill: 'pill-warn' },
  backoff: { label: 'Waiting to reconnect', pill: 'pill-danger' },
  standby: { label: 'Standby', pill: '' },
};

/** The state in words and its pill's class; a state this client does not know yet is shown as it came. */
export function bridgeState(state: string): { label: string; pill: string } {
  return states[state as BridgeState] ?? { label: state, pill: '' };
}

/** The headline above the table: how many bridges are connected, and how many are not. */
export function bridgesSummary(bridges: readonly BridgeStatus[]): string {
  if (bridges.length === 0) return 'No bridges are configured. Add one under Chatroom:Bridges in the analysis service (docs/integrations.md, "Bridges").';
  const connected = bridges.filter((b) => b.state === 'connected').length;
  const down = bridges.filter((b) => b.state === 'backoff').length;
  return `${connected} of ${bridges.length} connected` + (down > 0 ? `, ${down} waiting to reconnect` : '') + '.';
}

/** Outbound WebSocket bridges: where each connects, which node holds it, its state, last error and counters. */
export class BridgesPage implements AdminPage {
  readonly element: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly status: HTMLParagraphElement;
  private readonly table: HTMLDivElement;
  private readonly poller = new Poller(() => this.load(), 5000, 500);

  constructor(private readonly api: ApiClient) {
    this.body = h('tbody');
    this.status = h('p', { class: 'muted', testid: 'bridges-status', attrs: { role: 'status' } });
    this.table = h('div', { class: 'table-wrap card', attrs: { hidden: true } }, h('table', { class: 'table' },
      h('thead', null, h('tr', null, ...['Bridge', 'Peer', 'State', 'Node', 'Connected since', 'Last error', 'In', 'Out', 'Dropped'].map((t) => h('th', null, t)))),
      this.body));
    this.element = h('div', { class: 'admin-page', testid: 'bridges' },
      h('div', { class: 'page-head' },
        h('h1', { class: 'page-title' }, 'Bridges'),
        h('button', { class: 'ghost-button', attrs: { type: 'button' }, on: { click: () => void this.load() } }, 'Refresh')),
      this.status,
      this.table);
  }

  show(): void {
    this.poller.start();
  }

  hide(): void {
    this.poller.stop();
  }

  private async load(): Promise<void> {
    try {
      const bridges = await this.api.call<BridgeStatus[]>('GET', '/api/admin/bridges');
      replaceChildren(this.body, ...bridges.map((b) => {
        const state = bridgeState(b.state);
        return h('tr', { testid: 'bridge-row', dataset: { bridge: b.name, state: b.state } },
          h('td', null, h('strong', null, b.name)),
          h('td', { class: 'small' }, b.url),
          h('td', null, h('span', { class: `pill ${state.pill}`.trim(), testid: 'bridge-state' }, state.label)),
          h('td', { class: 'small' }, b.holder ?? '–'),
          h('td', { class: 'nowrap' }, b.connectedSince ? when(b.connectedSince) : '–'),
          h('td', { class: 'small detail' }, b.lastError ? h('span', null, b.lastError, ' ', b.lastErrorAt ? when(b.lastErrorAt) : '') : ''),
          h('td', { class: 'num' }, String(b.messagesIn)),
          h('td', { class: 'num' }, String(b.messagesOut)),
          h('td', { class: 'num', testid: 'bridge-dropped' }, String(b.dropped)));
      }));
      this.table.hidden = bridges.length === 0;
      this.status.textContent = bridgesSummary(bridges);
    } catch (error) {
      this.status.textContent = error instanceof ApiError ? `Could not load the bridges: ${error.message}` : 'Could not load the bridges.';
    }
  }
}
