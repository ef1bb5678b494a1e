import { ApiError } from '../api';
import { h, replaceChildren } from '../lib/dom';
import type { RoomSummary } from '../types';
import type { AdminApi } from './adminApi';
import { ActivityChart, MoodChart } from './charts';
import { mergeFeed, type FeedEntry } from './feed';
import { Poller, type AdminPage } from './page';
import { addVerdict, describeAction, describeAlert, fillMinutes, formatPercent, formatRate, ratePerMinute, topCategories, type MinuteSeries } from './series';
import type { AnalysisEvent, RoomAnalysis } from './types';
import { card, clock, moodBar, Tile } from './widgets';

const windowMinutes = 60;
const refreshMs = 15_000;
const feedSize = 40;
const maxRoomsAnalysed = 40;

/** KPIs, the last hour in charts, room health with trend alerts, the live verdict feed and broadcast. */
export class DashboardPage implements AdminPage {
  readonly element: HTMLElement;
  private readonly rooms = new Tile('kpi-rooms', 'Rooms');
  private readonly users = new Tile('kpi-users', 'Users online');
  private readonly rate = new Tile('kpi-messages-per-minute', 'Messages / min', 'analysed, average of the last 5 min');
  private readonly unsafeRate = new Tile('kpi-unsafe-per-minute', 'Unsafe / min', 'average of the last 5 min');
  private readonly tokens = new Tile('kpi-llm-tokens', 'LLM tokens / min', 'average of the last 5 min');
  private readonly activity: ActivityChart;
  private readonly mood: MoodChart;
  private readonly alerts: HTMLUListElement;
  private readonly health: HTMLTableSectionElement;
  private readonly feed: HTMLOListElement;
  private readonly error: HTMLParagraphElement;
  private readonly modelHints: HTMLUListElement;
  private readonly liveAlerts = new Map<string, { alert: string; share: number; at: number }>();
  private readonly tiers = new Set<string>();
  private feedEntries: FeedEntry[] = [];
  /** Each line built once: a busy system sends many verdicts a second, and the feed is redrawn from its entries. */
  private readonly feedItems = new WeakMap<FeedEntry, HTMLLIElement>();
  private series: MinuteSeries = fillMinutes([], windowMinutes, Date.now());
  private readonly poller = new Poller(() => this.refresh(), refreshMs, 2500);

  constructor(private readonly api: AdminApi) {
    this.tokens.set('n/a', 'no model configured: verdicts so far come from the embedded classifier');
    const activityCanvas = h('canvas', { testid: 'chart-activity', attrs: { role: 'img', 'aria-label': 'Messages and unsafe messages per minute, last hour' } });
    const moodCanvas = h('canvas', { testid: 'chart-mood', attrs: { role: 'img', 'aria-label': 'Mood of messages per minute, last hour' } });
    this.alerts = h('ul', { class: 'alerts', testid: 'alerts', attrs: { 'aria-live': 'polite' } });
    this.health = h('tbody');
    this.feed = h('ol', { class: 'feed', testid: 'verdict-feed', attrs: { 'aria-live': 'off' } });
    this.error = h('p', { class: 'form-error', attrs: { role: 'alert' } });
    this.modelHints = h('ul', { class: 'alerts model-hints', testid: 'model-hints' });

    const broadcastText = h('textarea', { class: 'text-input', testid: 'broadcast-text', attrs: { rows: 2, maxlength: 2000, placeholder: 'A notice for every room…', 'aria-label': 'Broadcast text' } });
    const broadcastResult = h('p', { class: 'form-status', testid: 'broadcast-result', attrs: { role: 'status' } });
    const broadcastButton = h('button', { class: 'primary-button', testid: 'broadcast-send', attrs: { type: 'submit' } }, 'Broadcast to all rooms');
    const broadcast = h('form', {
      class: 'broadcast',
      on: {
        submit: (e) => {
          e.preventDefault();
          const text = broadcastText.value.trim();
          if (!text) {
            broadcastResult.textContent = 'Write the notice first.';
            return;
          }
          broadcastButton.disabled = true;
          this.api.broadcast(text).then((r) => {
            broadcastText.value = '';
            broadcastResult.textContent = `Sent to ${r.rooms} room${r.rooms === 1 ? '' : 's'}.`;
          }, (error: unknown) => {
            broadcastResult.textContent = error instanceof ApiError ? error.message : 'Could not send the broadcast.';
          }).finally(() => { broadcastButton.disabled = false; });
        },
      },
    }, broadcastText, h('div', { class: 'form-row' }, broadcastButton, broadcastResult));

    this.activity = new ActivityChart(activityCanvas);
    this.mood = new MoodChart(moodCanvas);
    const healthTable = h('table', { class: 'table', testid: 'room-health-table' },
      h('thead', null, h('tr', null, h('th', null, 'Room'), h('th', { class: 'num' }, 'Online'), h('th', { class: 'num' }, 'Analysed (1 h)'),
        h('th', null, 'Mood (1 h)'), h('th', { class: 'num' }, 'Unsafe (1 h)'), h('th', null, 'Categories'), h('th', null, 'Alerts'))),
      this.health);

    this.element = h('div', { class: 'admin-page dashboard', testid: 'dashboard' },
      h('h1', { class: 'page-title' }, 'Dashboard'),
      this.error,
      this.modelHints,
      h('div', { class: 'tiles' }, this.rooms.element, this.users.element, this.rate.element, this.unsafeRate.element, this.tokens.element),
      this.alerts,
      h('div', { class: 'grid-2' },
        card('Activity, last hour', h('div', { class: 'chart-box' }, activityCanvas)),
        card('Mood, last hour', h('div', { class: 'chart-box' }, moodCanvas))),
      card('Rooms: mood and safety', h('div', { class: 'table-wrap' }, healthTable)),
      h('div', { class: 'grid-2' },
        card('Live verdicts', this.feed),
        card('Broadcast', broadcast)));
    this.renderFeedEmpty();
  }

  show(): void {
    this.poller.start();
    void this.loadRecentVerdicts();
    void this.loadModelHints();
  }

  hide(): void {
    this.poller.stop();
  }

  onAnalysis(event: AnalysisEvent): void {
    if (event.kind === 'verdict') {
      addVerdict(this.series, event.verdict, Date.now());
      this.tiers.add(event.verdict.tier);
      this.renderSeries();
      this.showFeed([{ room: event.room, messageId: event.messageId, authorName: event.authorName, verdict: event.verdict, action: event.action, at: Date.now(), live: true }]);
    } else {
      this.liveAlerts.set(`${event.room}:${event.alert}`, { alert: event.alert, share: event.share, at: Date.now() });
    }
    this.poller.nudge();
  }

  private async refresh(): Promise<void> {
    try {
      const [stats, ts, rooms] = await Promise.all([this.api.stats(), this.api.timeSeries(windowMinutes), this.api.rooms()]);
      this.error.textContent = '';
      this.rooms.set(String(stats.rooms), `${stats.messages.toLocaleString()} messages stored`);
      this.users.set(String(stats.connectedUsers), 'connected now');
      this.series = fillMinutes(ts.points, windowMinutes, Date.now());
      this.renderSeries();
      const sorted = [...rooms].sort((a, b) => b.present - a.present || a.name.localeCompare(b.name)).slice(0, maxRoomsAnalysed);
      const analyses = await Promise.all(sorted.map((r) => this.api.roomAnalysis(r.name).catch(() => null)));
      this.renderHealth(sorted, analyses);
    } catch (error) {
      this.error.textContent = error instanceof ApiError ? `Could not refresh: ${error.message}` : 'Could not refresh.';
    }
  }

  private renderSeries(): void {
    this.activity.update(this.series);
    this.mood.update(this.series);
    this.rate.set(formatRate(ratePerMinute(this.series.messages)));
    this.unsafeRate.set(formatRate(ratePerMinute(this.series.unsafe)));
    const spent = this.series.llmTokens.reduce((sum, n) => sum + n, 0);
    const model = spent > 0 || [...this.tiers].some((t) => t !== 'embedded');
    if (model) this.tokens.set(formatRate(ratePerMinute(this.series.llmTokens)), 'average of the last 5 min (moderation, agents, routing, embeddings)');
    else this.tokens.set('n/a', 'no model configured: verdicts come from the embedded classifier');
  }

  private renderHealth(rooms: readonly RoomSummary[], analyses: readonly (RoomAnalysis | null)[]): void {
    const alertItems: HTMLElement[] = [];
    const rows = rooms.map((room, i) => {
      const analysis = analyses[i];
      const hour = analysis?.aggregates.lastHour;
      const alerts = analysis?.alerts ?? [];
      for (const a of alerts) {
        alertItems.push(h('li', { class: 'alert', testid: 'alert', dataset: { room: room.name, alert: a.alert } },
          h('strong', null, `#${room.name}`), ' ', describeAlert(a.alert, a.share)));
      }
      const categories = hour ? topCategories(hour.unsafeByCategory).map(([c, n]) => `${c} ${n}`).join(', ') : '';
      return h('tr', { testid: 'room-health', dataset: { room: room.name } },
        h('td', null, h('strong', null, `#${room.name}`)),
        h('td', { class: 'num' }, String(room.present)),
        h('td', { class: 'num' }, hour ? String(hour.total) : '–'),
        h('td', null, hour ? moodBar(hour) : '–'),
        h('td', { class: `num${hour && hour.unsafe > 0 ? ' danger' : ''}`, testid: 'room-unsafe' }, hour ? `${hour.unsafe} (${formatPercent(hour.unsafeShare)})` : '–'),
        h('td', { class: 'small' }, categories || '–'),
        h('td', null, ...(alerts.length > 0 ? alerts.map((a) => h('span', { class: 'pill pill-warn' }, describeAlert(a.alert, a.share))) : [h('span', { class: 'muted small' }, 'none')])));
    });
    // Alerts pushed live in the last 15 minutes that the fetched analysis does not list (yet).
    const cutoff = Date.now() - 15 * 60_000;
    for (const [key, a] of this.liveAlerts) {
      const room = key.slice(0, key.indexOf(':'));
      if (a.at < cutoff) this.liveAlerts.delete(key);
      else if (!alertItems.some((li) => li.dataset.room === room && li.dataset.alert === a.alert)) {
        alertItems.push(h('li', { class: 'alert', testid: 'alert', dataset: { room, alert: a.alert } }, h('strong', null, `#${room}`), ' ', describeAlert(a.alert, a.share)));
      }
    }
    replaceChildren(this.alerts, ...alertItems);
    if (rows.length === 0) rows.push(h('tr', null, h('td', { class: 'muted', attrs: { colspan: 7 } }, 'No rooms.')));
    replaceChildren(this.health, ...rows);
  }

  /** The verdicts reached before this page opened: the feed is not empty until the next message is analysed. */
  private async loadRecentVerdicts(): Promise<void> {
    try {
      const recent = await this.api.recentVerdicts(feedSize);
      this.showFeed(recent.map((r) => ({ room: r.room, messageId: r.messageId, authorName: r.authorName, verdict: r.verdict, action: r.action, at: Date.parse(r.verdict.at), live: false })));
    } catch (error) {
      this.error.textContent = error instanceof ApiError ? `Could not load the latest verdicts: ${error.message}` : 'Could not load the latest verdicts.';
    }
  }

  /** Admins learn here, not in the chat, that a model is missing or silent and which configuration key to set. */
  private async loadModelHints(): Promise<void> {
    try {
      const models = await this.api.models();
      replaceChildren(this.modelHints, ...models.filter((m) => m.hint).map((m) =>
        h('li', { class: 'alert', testid: 'model-hint', dataset: { model: m.name, configured: String(m.configured) } },
          h('strong', null, `${m.name} (${m.purpose})`), ' ', m.hint)));
    } catch (error) {
      replaceChildren(this.modelHints, h('li', { class: 'alert', testid: 'model-hint' },
        error instanceof ApiError ? `Could not check the models: ${error.message}` : 'Could not check the models.'));
    }
  }

  private showFeed(incoming: readonly FeedEntry[]): void {
    this.feedEntries = mergeFeed(this.feedEntries, incoming, feedSize);
    if (this.feedEntries.length === 0) {
      this.renderFeedEmpty();
      return;
    }
    replaceChildren(this.feed, ...this.feedEntries.map((e) => {
      const built = this.feedItems.get(e);
      if (built) return built;
      const v = e.verdict;
      const unsafe = v.safety === 'unsafe';
      const item = h('li', { class: `feed-item${unsafe ? ' unsafe' : ''}`, testid: 'verdict', dataset: { room: e.room, messageId: e.messageId, safety: v.safety } },
        h('span', { class: 'feed-time' }, clock(e.at)),
        h('span', { class: 'feed-room' }, `#${e.room}`),
        h('span', { class: 'feed-author' }, e.authorName),
        h('span', { class: `pill mood-pill-${v.mood}` }, v.mood),
        h('span', { class: `pill ${unsafe ? 'pill-danger' : 'pill-ok'}` }, unsafe ? `unsafe${v.categories.length ? `: ${v.categories.join(', ')}` : ''}` : 'safe'),
        e.action ? h('span', { class: 'pill pill-warn' }, describeAction(e.action)) : null);
      this.feedItems.set(e, item);
      return item;
    }));
  }

  private renderFeedEmpty(): void {
    replaceChildren(this.feed, h('li', { class: 'feed-empty muted' }, 'Verdicts appear here as messages are analysed.'));
  }
}
