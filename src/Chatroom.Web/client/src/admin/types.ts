// Shapes of the admin and moderation API (docs/protocol.md, docs/moderation.md).

export type Mood = 'happy' | 'neutral' | 'sad';

export interface Verdict {
  mood: Mood;
  moodScore: number;
  safety: 'safe' | 'unsafe';
  unsafeScore: number;
  categories: string[];
  tier: string;
  confidence: number;
  moodConfidence?: number;
  model?: string | null;
}

export type ModerationAction = 'flag' | 'hide' | 'mute' | 'slow_mode';

export type AnalysisEvent =
  | { kind: 'verdict'; room: string; messageId: number; authorName: string; verdict: Verdict; action: ModerationAction | null }
  | { kind: 'alert'; room: string; alert: TrendAlertName; share: number };

/** A stored verdict read back for the live feed (`GET /api/admin/verdicts`): a live verdict event's fields, `verdict.at` its time. */
export interface RecentVerdict {
  room: string;
  messageId: number;
  authorName: string;
  verdict: Verdict & { at: string };
  action: ModerationAction | null;
}

/** A chat model as `GET /api/analysis/models` reports it; `hint` says what to configure when it is missing or silent. */
export interface ModelStatus {
  name: string;
  purpose: string;
  configurationKey: string;
  configured: boolean;
  reachable: boolean | null;
  model: string | null;
  endpoint: string | null;
  hint: string | null;
}

export type TrendAlertName = 'unsafe_share_rising' | 'mood_turning' | string;

export interface Stats {
  rooms: number;
  connectedUsers: number;
  messages: number;
}

export interface MinutePoint {
  /** ISO start of the minute. */
  minute: string;
  messages: number;
  happy: number;
  neutral: number;
  sad: number;
  unsafe: number;
  /** LLM tokens spent in the minute (moderation, agents, routing, embeddings). */
  llmTokens: number;
}

export interface TimeSeries {
  minutes: number;
  points: MinutePoint[];
}

export interface VerdictCounts {
  total: number;
  happy: number;
  neutral: number;
  sad: number;
  safe: number;
  unsafe: number;
  unsafeByCategory: Record<string, number>;
  unsafeShare: number;
  sadShare: number;
}

export interface TrendAlert {
  alert: TrendAlertName;
  share: number;
}

export interface RoomAnalysis {
  room: string;
  aggregates: { allTime: VerdictCounts; lastHour: VerdictCounts; last15Minutes: VerdictCounts };
  alerts: TrendAlert[];
  flagged: Flag[];
}

export type FlagState = 'open' | 'approved' | 'hidden' | 'muted' | 'banned' | 'appealed' | 'restored' | 'upheld';

/** The policy model's advice on an appeal; a moderator decides. */
export interface AppealAdvice {
  recommendation: AppealDecision;
  rule: string | null;
  rationale: string;
  model: string;
  at: string;
}

/** The author's appeal of the action taken on a flagged message. */
export interface FlagAppeal {
  reason: string;
  at: string;
  advice: AppealAdvice | null;
}

export type AppealDecision = 'restore' | 'uphold';

export interface Flag {
  id: number;
  room: string;
  messageId: number;
  authorId: string;
  authorName: string;
  text: string;
  reason: string;
  categories: string[];
  unsafeScore: number;
  state: FlagState;
  createdAt: string;
  resolvedBy: string | null;
  resolution: string | null;
  appeal?: FlagAppeal | null;
}

export type ResolveAction = 'approve' | 'hide' | 'mute' | 'ban';

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  room: string | null;
  messageId: number | null;
  targetUserId: string | null;
  reason: string;
  detail: string | null;
}

export interface AgentDefinition {
  name: string;
  description?: string;
  persona?: string;
  model?: 'analysis' | 'reasoning';
  triggers?: { mention?: boolean; keywords?: string[]; direct?: boolean; intent?: string };
  rooms?: string[];
  tools?: string[];
  limits?: { maxTokens?: number; maxTurns?: number; repliesPerMinute?: number };
  temperature?: number;
  enabled?: boolean;
  [extra: string]: unknown;
}

/** One schema error of an agent definition: a JSON Pointer into the definition and a sentence. */
export interface AgentError {
  path: string;
  message: string;
}

/** An account as the Users page lists it (`GET /api/admin/users`). */
export interface AdminUser {
  id: string;
  userName: string;
  displayName: string;
  email: string | null;
  roles: string[];
  twoFactorEnabled: boolean;
  /** How many passkeys the account has. */
  passkeys: number;
  banned: { until: string; reason: string | null } | null;
  disabled: boolean;
  createdAt: string;
  lastSignInAt: string | null;
}

export interface AdminUserPage {
  users: AdminUser[];
  total: number;
}
