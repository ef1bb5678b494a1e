// Shapes of the server contract (REST and hub), as documented in docs/protocol.md.

/** Who wrote a message; programs (bot, webhook, bridge) get a badge beside their name. */
export type MessageKind = 'user' | 'system' | 'agent' | 'bot' | 'webhook' | 'bridge';

export interface ChatMessage {
  room: string;
  id: number;
  authorId: string;
  authorName: string;
  kind: MessageKind;
  text: string;
  /** ISO 8601 */
  sentAt: string;
  clientMessageId: string | null;
  hidden: boolean;
}

export interface UserRef {
  id: string;
  name: string;
}

export interface User extends UserRef {
  role: string;
}

export interface Session {
  token: string;
  user: User;
  expiresAt: string;
  /** Accounts only: spent on use for a new pair at /api/auth/refresh. Guests have none. */
  refreshToken?: string;
  refreshExpiresAt?: string;
}

/** The password was right and the account has a second factor: send the ticket and a code to /api/auth/login/2fa. */
export interface TwoFactorChallenge {
  twoFactorRequired: true;
  /** `totp` and/or `recovery_code`. */
  methods: string[];
  ticket: string;
}

/** What /api/auth/admin answers: an account session, or a second-factor challenge. */
export type AdminSignInAnswer = Session | TwoFactorChallenge;

/** The second factor: a 6-digit authenticator code or a one-time recovery code. */
export type SecondFactor = { code: string } | { recoveryCode: string };

export interface RoomSummary {
  name: string;
  topic: string | null;
  createdAt: string;
  present: number;
  /** One message per N seconds per person; 0 = off. */
  slowModeSeconds?: number;
  /** Only admins may post. */
  locked?: boolean;
}

/** `GET /api/rooms/{room}/rules`: the server's written rules and the room's own (Markdown; null when none). */
export interface RoomRulesView {
  room: string;
  serverRules: string;
  rules: string | null;
  updatedAt: string | null;
}

/** The author's view of their appeal. */
export interface AppealView {
  room: string;
  messageId: number;
  state: 'appealed' | 'restored' | 'upheld' | 'approved';
  reason: string;
  at: string;
  outcome: string | null;
}

export interface MessagePage {
  room: string;
  messages: ChatMessage[];
  hasMore: boolean;
}

export interface JoinResult {
  room: string;
  history: ChatMessage[];
  missed: ChatMessage[];
  missedTruncated: boolean;
  present: UserRef[];
  topic?: string | null;
  slowModeSeconds?: number;
  locked?: boolean;
}

export interface SendAck {
  room: string;
  id: number;
  sentAt: string;
  duplicate: boolean;
}

export interface PresenceEvent {
  room: string;
  user: UserRef;
  action: 'joined' | 'left';
  count: number;
}

export interface TypingEvent {
  room: string;
  user: UserRef;
}

export interface SystemEvent {
  room: string | null;
  text: string;
  /** Set on notices a client treats specially: `member_removed`, `safety_notice`. */
  code?: string;
}

export interface MessageHiddenEvent {
  room: string;
  id: number;
}

/** `Chatroom:Auth:Guests`: guests chat, only read, or cannot sign in. */
export type GuestMode = 'on' | 'read-only' | 'off';

export interface ClientConfig {
  apiBase: string;
  hubUrl: string;
  /** Left out by servers that do not say: the guest sign-in route then decides. */
  guests?: GuestMode;
}

/** Part of an agent's reply while it is generated; the stored `message` of kind agent follows. */
export interface AgentDeltaEvent {
  room: string;
  agent: string;
  runId: string;
  delta: string;
}

/** Who may read a room: everyone, the members an owner invited, or two people. */
export type RoomVisibility = 'public' | 'private' | 'direct';

/** One entry of `GET /api/conversations`: a private or direct room of yours, latest first. */
export interface ConversationSummary {
  room: string;
  visibility: 'private' | 'direct';
  topic: string | null;
  /** `pending`: a request or invitation waiting for you. */
  role: 'owner' | 'member' | 'pending' | 'declined';
  /** The other person of a direct conversation (a user id); null for a private room. */
  with: string | null;
  members: number;
  lastMessage: { id: number; authorId: string; authorName: string; preview: string; sentAt: string } | null;
  /** Others' messages after your read marker, up to 100. */
  unread: number;
}

/** `conversationRequest`: someone new wrote to you; `preview` is the first 100 characters of their first message. */
export interface ConversationRequestEvent {
  room: string;
  from: UserRef;
  preview: string;
  sentAt: string;
}

/** `roomInvite`: a private room's owner invited you. */
export interface RoomInviteEvent {
  room: string;
  topic: string | null;
  from: UserRef;
}

/** `POST /api/reports`: a message, or with `userId` only that person's latest message in the room. */
export interface ReportRequest {
  room: string;
  messageId?: number;
  userId?: string;
  reason: string;
}

/** `GET /api/blocks`: the people you block. */
export interface BlockListView {
  blocked: string[];
  people: { id: string; name: string | null }[];
}

/** `GET /api/rooms/{room}/members`: a private room's member; `pending` is invited, not yet in. */
export interface RoomMemberView {
  userId: string;
  role: 'owner' | 'member' | 'pending' | 'declined';
  since: string;
  name: string | null;
}
