import {
  HttpTransportType,
  HubConnectionBuilder,
  HubConnectionState,
  LogLevel,
  type HubConnection,
  type IRetryPolicy,
  type RetryContext,
} from '@microsoft/signalr';
import type { AnalysisEvent } from './admin/types';
import type {
  AgentDeltaEvent,
  ChatMessage,
  ConversationRequestEvent,
  JoinResult,
  MessageHiddenEvent,
  PresenceEvent,
  RoomInviteEvent,
  SendAck,
  SystemEvent,
  TypingEvent,
} from './types';

/** The payload of `roomUpdated`: the room's rules as they are now. */
export interface RoomUpdatedEvent {
  room: string;
  slowModeSeconds: number;
  locked: boolean;
}

/** A room created from within a room the user is in (e.g. by the concierge). */
export interface RoomCreatedEvent {
  name: string;
  topic: string | null;
  createdBy: string;
  requestedBy: string;
}

export interface HubEvents {
  message(message: ChatMessage): void;
  messageHidden(event: MessageHiddenEvent): void;
  presence(event: PresenceEvent): void;
  typing(event: TypingEvent): void;
  system(event: SystemEvent): void;
  agentDelta?(event: AgentDeltaEvent): void;
  /** A room's slow mode or lock changed. */
  roomUpdated?(event: RoomUpdatedEvent): void;
  /** A room was created from a room the user is in: it belongs in the room list now. */
  roomCreated?(event: RoomCreatedEvent): void;
  /** Someone new wrote to you: a message request waiting for Accept or Decline. */
  conversationRequest?(event: ConversationRequestEvent): void;
  /** A private room's owner invited you. */
  roomInvite?(event: RoomInviteEvent): void;
  /** Admins only: live moderation verdicts and trend alerts. */
  analysis?(event: AnalysisEvent): void;
  reconnecting(): void;
  reconnected(): void;
  closed(error: Error | undefined): void;
}

/** Quick first retries, then every 5–10 s for as long as it takes: a chat should come back by itself. */
export const retryForever: IRetryPolicy = {
  nextRetryDelayInMilliseconds(context: RetryContext): number {
    const steps = [0, 1000, 2000, 4000];
    const step = steps[context.previousRetryCount];
    return step ?? 5000 + Math.floor(Math.random() * 5000);
  },
};

/** The chat hub (/hubs/chat) with typed methods and events. */
export class ChatHub {
  private readonly connection: HubConnection;

  constructor(url: string, accessToken: () => string | Promise<string>, events: HubEvents) {
    this.connection = new HubConnectionBuilder()
      // WebSockets straight away, without SignalR's negotiate request: behind a load balancer a negotiate and the
      // socket that follows could reach different socket servers, so this needs no sticky sessions.
      .withUrl(url, { accessTokenFactory: accessToken, transport: HttpTransportType.WebSockets, skipNegotiation: true })
      .withAutomaticReconnect(retryForever)
      .configureLogging(LogLevel.Warning)
      .build();
    this.connection.on('message', (m: ChatMessage) => events.message(m));
    this.connection.on('messageHidden', (e: MessageHiddenEvent) => events.messageHidden(e));
    this.connection.on('presence', (e: PresenceEvent) => events.presence(e));
    this.connection.on('typing', (e: TypingEvent) => events.typing(e));
    this.connection.on('system', (e: SystemEvent) => events.system(e));
    this.connection.on('agentDelta', (e: AgentDeltaEvent) => events.agentDelta?.(e));
    this.connection.on('roomUpdated', (e: RoomUpdatedEvent) => events.roomUpdated?.(e));
    this.connection.on('roomCreated', (e: RoomCreatedEvent) => events.roomCreated?.(e));
    this.connection.on('conversationRequest', (e: ConversationRequestEvent) => events.conversationRequest?.(e));
    this.connection.on('roomInvite', (e: RoomInviteEvent) => events.roomInvite?.(e));
    this.connection.on('analysis', (e: AnalysisEvent) => events.analysis?.(e));
    this.connection.onreconnecting(() => events.reconnecting());
    this.connection.onreconnected(() => events.reconnected());
    this.connection.onclose((error) => events.closed(error));
  }

  get connected(): boolean {
    return this.connection.state === HubConnectionState.Connected;
  }

  start(): Promise<void> {
    return this.connection.start();
  }

  stop(): Promise<void> {
    return this.connection.stop();
  }

  joinRoom(room: string, lastSeenId: number | null): Promise<JoinResult> {
    return this.connection.invoke<JoinResult>('JoinRoom', room, lastSeenId);
  }

  leaveRoom(room: string): Promise<void> {
    return this.connection.invoke('LeaveRoom', room);
  }

  sendMessage(room: string, text: string, clientMessageId: string): Promise<SendAck> {
    return this.connection.invoke<SendAck>('SendMessage', room, text, clientMessageId);
  }

  /** Opens (or finds) the direct conversation with a person; answers its room name. */
  openDirect(userId: string): Promise<string> {
    return this.connection.invoke<string>('OpenDirect', userId);
  }

  /** Accepts the request or invitation waiting for you in the room; join it afterwards. */
  acceptRequest(room: string): Promise<void> {
    return this.connection.invoke('AcceptRequest', room);
  }

  declineRequest(room: string): Promise<void> {
    return this.connection.invoke('DeclineRequest', room);
  }

  /** Fire-and-forget: the read marker only moves forward, and the next join marks the room read anyway. */
  markRead(room: string, messageId: number): void {
    if (!this.connected) return;
    this.connection.send('MarkRead', room, messageId).catch(() => undefined);
  }

  /** Fire-and-forget: a lost typing notice does not matter. */
  typing(room: string): void {
    if (!this.connected) return;
    this.connection.send('Typing', room).catch(() => undefined);
  }
}
