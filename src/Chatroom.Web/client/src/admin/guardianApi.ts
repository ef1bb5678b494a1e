import type { ApiClient } from '../api';

const seg = encodeURIComponent;

export type GuardianCaseState = 'open' | 'dismissed' | 'restricted' | 'banned' | 'guardian_notified';
export type GuardianAction = 'dismiss' | 'restrict' | 'ban' | 'notify-guardian';

/** A queue row: no private lines (those come with the audited case read). */
export interface GuardianCaseSummary {
  id: number;
  kind: 'conversation' | 'contacts';
  room: string | null;
  subjectUserId: string;
  minorUserIds: string[];
  score: number;
  signals: string[];
  state: GuardianCaseState;
  openedAt: string;
  firstReviewedAt: string | null;
  resolvedBy: string | null;
}

export interface GuardianCase extends Omit<GuardianCaseSummary, 'signals'> {
  signals: { name: string; score: number; evidence: string[] }[];
  evidenceLines: string[];
  summary: string | null;
  windowKey: string;
  assignedTo: string | null;
  resolution: string | null;
  resolvedAt: string | null;
}

export interface GuardianAccountView {
  userId: string;
  contacts: { room: string; visibility: string; people: { userId: string; age: number | null }[] }[];
  cases: GuardianCaseSummary[];
  restriction: { reason: string; by: string; at: string; caseId: number | null } | null;
}

/** The guardian agent's threshold and windows (durations in minutes; threshold null: the configured or fitted one). */
export interface GuardianSettingsValues {
  threshold: number | null;
  windowMessages: number;
  windowAgeMinutes: number;
  maxNewMinorContacts: number;
  contactPeriodMinutes: number;
}

/** What the API answers: the values, and whether an admin stored them (else the analysis service's configuration applies). */
export interface GuardianSettings extends GuardianSettingsValues {
  stored: boolean;
  updatedBy: string | null;
  updatedAt: string | null;
}

/** The guardian queue routes (moderators and admins); every case and account read is audited by the API. */
export class GuardianApi {
  constructor(private readonly api: ApiClient) {}

  cases(state: GuardianCaseState | 'all' = 'open', limit = 100): Promise<GuardianCaseSummary[]> {
    return this.api.call('GET', `/api/admin/guardian/cases?state=${seg(state)}&limit=${limit}`);
  }

  case(id: number): Promise<GuardianCase> {
    return this.api.call('GET', `/api/admin/guardian/cases/${id}`);
  }

  resolve(id: number, action: GuardianAction, reason: string): Promise<GuardianCase> {
    return this.api.call('POST', `/api/admin/guardian/cases/${id}/resolve`, { action, reason });
  }

  account(userId: string): Promise<GuardianAccountView> {
    return this.api.call('GET', `/api/admin/guardian/accounts/${seg(userId)}`);
  }

  /** Admins only. */
  settings(): Promise<GuardianSettings> {
    return this.api.call('GET', '/api/admin/guardian/settings');
  }

  saveSettings(values: GuardianSettingsValues): Promise<GuardianSettings> {
    return this.api.call('PUT', '/api/admin/guardian/settings', values);
  }

  resetSettings(): Promise<GuardianSettings> {
    return this.api.call('DELETE', '/api/admin/guardian/settings');
  }
}
