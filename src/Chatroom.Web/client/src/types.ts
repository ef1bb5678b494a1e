// Shapes of the server contract (REST and hub), as documented in docs/protocol.md.

export type MessageKind = 'user' | 'system' | 'agent';

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
}

export interface RoomSummary {
  name: string;
  topic: string | null;
  createdAt: string;
  present: number;
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
}

export interface MessageHiddenEvent {
  room: string;
  id: number;
}

export interface ClientConfig {
  apiBase: string;
  hubUrl: string;
}
