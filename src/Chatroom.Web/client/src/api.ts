import { parseProblem, type ChatError } from './lib/errors';
import type {
  AdminSignInAnswer, AppealView, BlockListView, ConversationSummary, MessagePage, ReportRequest, RoomMemberView, RoomRulesView, RoomSummary, SecondFactor, Session,
} from './types';

/** A REST call that failed; `code` is the server's stable code (or one derived from the status). */
export class ApiError extends Error implements ChatError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The problem document as the server sent it (extensions such as `errors` included). */
    readonly problem: unknown = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiClientOptions {
  apiBase: string;
  token: () => string | null;
  /** Called when the server says the token is no longer good (and `renew`, if any, could not get a new one). */
  onUnauthorized?: () => void;
  /**
   * Gets a new access token after a 401 for `rejected` (the token that call sent). 'renewed': the call is retried once
   * with the new token; 'ended': the session is over (onUnauthorized is not called: the renewer reports it);
   * 'unavailable': the server could not be asked, the call fails with its 401 and the session stays.
   */
  renew?: (rejected: string) => Promise<RenewOutcome>;
  fetch?: typeof fetch;
}

export type RenewOutcome = 'renewed' | 'ended' | 'unavailable';

/** The REST API under /api. */
export class ApiClient {
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: ApiClientOptions) {
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }
  /** A URL for EventSource, which cannot send headers: the token goes in the query, as for the hub. */
  eventStreamUrl(path: string): string {
    const token = this.options.token();
    return `${this.options.apiBase}${path}${token ? `?access_token=${encodeURIComponent(token)}` : ''}`;
  }


  signInAsGuest(name: string): Promise<Session> {
    return this.request<Session>('POST', '/api/auth/guest', { name }, false);
  }

  /** An admin account (`userName` empty: the `admin` account): a session, or a second-factor challenge. */
  signInAsAdmin(password: string, userName?: string): Promise<AdminSignInAnswer> {
    const name = userName?.trim();
    return this.request<AdminSignInAnswer>('POST', '/api/auth/admin', name ? { password, userName: name } : { password }, false);
  }

  /** Completes a sign-in that answered with a challenge. */
  signInSecondFactor(ticket: string, factor: SecondFactor): Promise<Session> {
    return this.request<Session>('POST', '/api/auth/login/2fa', { ticket, ...factor }, false);
  }

  /** Spends the refresh token for a new pair (the old one is then dead: sending it again ends the whole session). */
  refresh(refreshToken: string): Promise<Session> {
    return this.request<Session>('POST', '/api/auth/refresh', { refreshToken }, false);
  }

  listRooms(): Promise<RoomSummary[]> {
    return this.request<RoomSummary[]>('GET', '/api/rooms');
  }

  /** A public room, or with `visibility: 'private'` one only its members (you, and whom you invite) read. */
  createRoom(name: string, topic?: string, visibility: 'public' | 'private' = 'public'): Promise<RoomSummary> {
    const body: { name: string; topic?: string; visibility?: 'private' } = { name };
    if (topic) body.topic = topic;
    if (visibility === 'private') body.visibility = 'private';
    return this.request<RoomSummary>('POST', '/api/rooms', body);
  }

  messages(room: string, query: { before?: number; after?: number; limit?: number }): Promise<MessagePage> {
    const params = new URLSearchParams();
    if (query.before !== undefined) params.set('before', String(query.before));
    if (query.after !== undefined) params.set('after', String(query.after));
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    const qs = params.toString();
    return this.request<MessagePage>('GET', `/api/rooms/${encodeURIComponent(room)}/messages${qs ? `?${qs}` : ''}`);
  }

  /** The server's written rules and the room's own. */
  roomRules(room: string): Promise<RoomRulesView> {
    return this.request<RoomRulesView>('GET', `/api/rooms/${encodeURIComponent(room)}/rules`);
  }

  /** Appeals the action moderation took on one of your messages (once per message). */
  appeal(room: string, id: number, reason: string): Promise<AppealView> {
    return this.request<AppealView>('POST', `/api/rooms/${encodeURIComponent(room)}/messages/${id}/appeal`, { reason });
  }

  /** Your appeal of a message; rejects with `not_found` when there is none. */
  appealStatus(room: string, id: number): Promise<AppealView> {
    return this.request<AppealView>('GET', `/api/rooms/${encodeURIComponent(room)}/messages/${id}/appeal`);
  }

  /** Your private and direct conversations, latest first, with unread counts. */
  conversations(): Promise<ConversationSummary[]> {
    return this.request<ConversationSummary[]>('GET', '/api/conversations');
  }

  /** Blocks a person: they cannot open, write to or invite you to a conversation. */
  block(userId: string): Promise<void> {
    return this.request<void>('POST', `/api/blocks/${encodeURIComponent(userId)}`);
  }

  unblock(userId: string): Promise<void> {
    return this.request<void>('DELETE', `/api/blocks/${encodeURIComponent(userId)}`);
  }

  /** The people you block, with their names (null: no account any more). */
  blocks(): Promise<BlockListView> {
    return this.request<BlockListView>('GET', '/api/blocks');
  }

  /** A private room's members, for its members. */
  members(room: string): Promise<RoomMemberView[]> {
    return this.request<RoomMemberView[]>('GET', `/api/rooms/${encodeURIComponent(room)}/members`);
  }

  /** Invites a person by user name into your private room (owner only); they join once they accept. */
  invite(room: string, userName: string): Promise<void> {
    return this.request<void>('POST', `/api/rooms/${encodeURIComponent(room)}/invitations`, { userName });
  }

  /** Removes a member from your private room, or with your own id leaves it. */
  removeMember(room: string, userId: string): Promise<void> {
    return this.request<void>('DELETE', `/api/rooms/${encodeURIComponent(room)}/members/${encodeURIComponent(userId)}`);
  }

  /** Puts a message (or a person's latest message in the room) in the moderators' review queue. */
  report(report: ReportRequest): Promise<{ id: number; room: string; messageId: number }> {
    return this.request('POST', '/api/reports', report);
  }

  /** A call without the session's token (sign-up, sign-in, email links); a 204 resolves to undefined. */
  publicCall<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.request<T>(method, path, body, false);
  }

  /** Any authenticated call; a 204 resolves to undefined. */
  call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.request<T>(method, path, body);
  }

  private async request<T>(method: string, path: string, body?: unknown, authenticated = true, retried = false): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const token = authenticated ? this.options.token() : null;
    if (token) headers.Authorization = `Bearer ${token}`;

    let response: Response;
    try {
      response = await this.fetchImpl(`${this.options.apiBase}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      const error = parseProblem(0, null);
      throw new ApiError(0, error.code, error.message);
    }

    if (!response.ok) {
      let problem: unknown = null;
      try {
        problem = await response.json();
      } catch {
        problem = null;
      }
      const error = parseProblem(response.status, problem);
      // A 401 is about the token only when the server says `unauthorized` (or nothing): `invalid_password` and the like
      // refuse what was typed (a wrong password confirming a deletion), and renewing or ending the session would be wrong.
      if (response.status === 401 && authenticated && error.code === 'unauthorized') {
        const renew = this.options.renew;
        if (renew && token && !retried) {
          if ((await renew(token)) === 'renewed') return this.request<T>(method, path, body, authenticated, true);
        } else {
          // No renewer, or the renewed token was refused too (e.g. the account was disabled meanwhile).
          this.options.onUnauthorized?.();
        }
      }
      throw new ApiError(response.status, error.code, error.message, problem);
    }
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }
}
