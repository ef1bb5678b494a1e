import type { ApiClient } from '../api';
import type { RoomRulesView, RoomSummary } from '../types';
import type { AdminUserPage, AgentDefinition, AppealDecision, AuditEntry, Flag, FlagState, ModelStatus, RecentVerdict, ResolveAction, RoomAnalysis, Stats, TimeSeries, Verdict } from './types';

const seg = encodeURIComponent;

/** The admin routes of the REST API (all need an admin token). */
export class AdminApi {
  constructor(private readonly api: ApiClient) {}

  stats(): Promise<Stats> {
    return this.api.call('GET', '/api/admin/stats');
  }

  /** The agent's live event feed (server-sent events). */
  agentEventsUrl(name: string): string {
    return this.api.eventStreamUrl(`/api/agents/${seg(name)}/events`);
  }

  timeSeries(minutes = 60): Promise<TimeSeries> {
    return this.api.call('GET', `/api/admin/timeseries?minutes=${minutes}`);
  }

  rooms(): Promise<RoomSummary[]> {
    return this.api.listRooms();
  }

  roomAnalysis(room: string): Promise<RoomAnalysis> {
    return this.api.call('GET', `/api/admin/rooms/${seg(room)}/analysis`);
  }

  /** The latest verdicts across rooms, newest first (1-200). */
  recentVerdicts(limit = 50): Promise<RecentVerdict[]> {
    return this.api.call('GET', `/api/admin/verdicts?limit=${limit}`);
  }

  flags(state: FlagState | 'all' = 'open', limit = 100): Promise<Flag[]> {
    return this.api.call('GET', `/api/admin/flags?state=${seg(state)}&limit=${limit}`);
  }

  resolve(id: number, action: ResolveAction, reason: string, muteSeconds?: number): Promise<Flag> {
    return this.api.call('POST', `/api/admin/flags/${id}/resolve`, action === 'mute' ? { action, reason, muteSeconds } : { action, reason });
  }

  /** A moderator's decision on an appealed flag. */
  decideAppeal(id: number, decision: AppealDecision, reason: string): Promise<Flag> {
    return this.api.call('POST', `/api/admin/flags/${id}/appeal`, { decision, reason });
  }

  /** The room's own written rules (null when none) and the server's. */
  roomRules(room: string): Promise<RoomRulesView> {
    return this.api.call('GET', `/api/rooms/${seg(room)}/rules`);
  }

  /** Replaces the room's written rules; empty text clears them. */
  setRoomRules(room: string, text: string): Promise<RoomRulesView> {
    return this.api.call('PUT', `/api/admin/rooms/${seg(room)}/rules`, { text });
  }

  audit(before?: number, limit = 50): Promise<AuditEntry[]> {
    return this.api.call('GET', `/api/admin/audit?limit=${limit}${before !== undefined ? `&before=${before}` : ''}`);
  }

  broadcast(text: string): Promise<{ rooms: number }> {
    return this.api.call('POST', '/api/admin/broadcast', { text });
  }

  roomSettings(room: string, settings: { slowModeSeconds?: number; locked?: boolean }): Promise<void> {
    return this.api.call('PUT', `/api/admin/rooms/${seg(room)}/settings`, settings);
  }

  deleteRoom(room: string): Promise<void> {
    return this.api.call('DELETE', `/api/admin/rooms/${seg(room)}`);
  }

  /** The analysis and reasoning models: configured, answering, and what to set when not. */
  models(): Promise<ModelStatus[]> {
    return this.api.call('GET', '/api/analysis/models');
  }

  classify(text: string): Promise<Verdict> {
    return this.api.call('POST', '/api/analysis/classify', { text });
  }

  agents(): Promise<AgentDefinition[]> {
    return this.api.call('GET', '/api/agents');
  }

  saveAgent(name: string, definition: unknown): Promise<AgentDefinition> {
    return this.api.call('PUT', `/api/agents/${seg(name)}`, definition);
  }

  createAgent(definition: unknown): Promise<AgentDefinition> {
    return this.api.call('POST', '/api/agents', definition);
  }

  deleteAgent(name: string): Promise<void> {
    return this.api.call('DELETE', `/api/agents/${seg(name)}`);
  }

  // ----- accounts (the Users page) -----

  users(query: string, skip = 0, take = 50): Promise<AdminUserPage> {
    return this.api.call('GET', `/api/admin/users?q=${seg(query)}&skip=${skip}&take=${take}`);
  }

  setRoles(id: string, roles: string[]): Promise<{ id: string; roles: string[] }> {
    return this.api.call('PUT', `/api/admin/users/${seg(id)}/roles`, { roles });
  }

  /** `until` left out: permanently. */
  ban(id: string, reason: string, until: string | null): Promise<{ userId: string; bannedUntil: string }> {
    return this.api.call('POST', `/api/admin/users/${seg(id)}/ban`, until ? { until, reason } : { reason });
  }

  unban(id: string, reason: string): Promise<void> {
    return this.api.call('DELETE', `/api/admin/users/${seg(id)}/ban`, { reason });
  }

  disable(id: string, reason: string): Promise<void> {
    return this.api.call('POST', `/api/admin/users/${seg(id)}/disable`, { reason });
  }

  enable(id: string, reason: string): Promise<void> {
    return this.api.call('POST', `/api/admin/users/${seg(id)}/enable`, { reason });
  }

  resetSecondFactors(id: string, reason: string): Promise<void> {
    return this.api.call('POST', `/api/admin/users/${seg(id)}/reset-2fa`, { reason });
  }

  signOutEverywhere(id: string, reason: string): Promise<void> {
    return this.api.call('POST', `/api/admin/users/${seg(id)}/sign-out`, { reason });
  }
}
