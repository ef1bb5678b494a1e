/** A refusal or failure, reduced to a stable code and a sentence a person can read. */
export interface ChatError {
  code: string;
  message: string;
}

/** Codes for failures that are about the connection, not the message: retrying later helps. */
export const transientCodes: ReadonlySet<string> = new Set([
  'disconnected',
  'backend_unavailable',
  'storage_full',
  'network',
]);

/** Refusals that clear by themselves after a wait: the message is sent again automatically. */
export const backoffCodes: ReadonlySet<string> = new Set(['rate_limited', 'slow_mode']);

const titles: Readonly<Record<string, string>> = {
  rate_limited: 'Sending too fast',
  slow_mode: 'Slow mode is on',
  text_too_long: 'Message too long',
  empty_text: 'Type something first',
  muted: 'You are muted in this room',
  banned: 'You are banned from this room',
  room_locked: 'Room locked',
  too_many_rooms: 'Too many rooms',
  invalid_password: 'That password is not right',
  admin_disabled: 'Admin sign-in is turned off on this server',
  invalid_agent: 'The agent definition has problems',
  agent_exists: 'An agent with that name already exists',
  invalid_request: 'The request was not accepted',
  payload_too_large: 'That is too large to send',
  too_many_connections: 'Too many connections from your network, close other tabs and try again',
  invalid_frame: 'The connection was closed because the app sent something the server could not read',
  not_member: 'You are not in this room',
  unknown_room: 'This room does not exist',
  invalid_room_name: 'Room names use lower-case letters, digits and "-"',
  room_exists: 'A room with that name already exists',
  invalid_name: 'Names are 1 to 32 characters',
  backend_unavailable: 'The server cannot store messages right now',
  storage_full: 'The server is out of disk space',
  unauthorized: 'Your session has ended, please sign in again',
  forbidden: 'You are not allowed to do that',
  disconnected: 'Not connected, the message will be sent when the connection is back',
  network: 'The server cannot be reached',
  recipient_unavailable: 'This person cannot be reached privately',
  request_pending: 'Your message request has not been accepted yet, so no more messages can go until it is',
  request_declined: 'This person declined your message request',
  direct_messages_off: 'Private messages are turned off for your account',
  user_blocked: 'You block this person: unblock them to write to them',
  account_required: 'Private messages need an account',
  no_request: 'There is no request waiting for you there any more',
  invalid_reason: 'A report needs a reason of up to 500 characters on one line',
  not_owner: 'Only the room\'s owner can do that',
};

const hubExceptionPattern = /HubException:\s*([a-z][a-z0-9_]*)(?::\s*([\s\S]*))?$/;

/**
 * Reads a hub invocation error. The server refuses with `HubException: <code>: <sentence>`;
 * the SignalR client wraps that in its own text, and failures of the connection itself carry no
 * code at all.
 */
export function parseHubError(error: unknown): ChatError {
  const raw = error instanceof Error ? error.message : String(error ?? '');
  const match = hubExceptionPattern.exec(raw.trim());
  if (match) {
    const code = match[1]!;
    return { code, message: describe(code, match[2]) };
  }
  if (/connection|not in the 'Connected' State|WebSocket|Failed to fetch|disconnected/i.test(raw)) {
    return { code: 'disconnected', message: describe('disconnected') };
  }
  return { code: 'unknown', message: raw ? `Something went wrong: ${raw}` : 'Something went wrong' };
}

/** How long a refusal asks to wait ("wait 2 s", "wait 500 ms"), or the fallback when it does not say. */
export function waitMs(error: ChatError, fallbackMs = 1000): number {
  const match = /wait\s+(\d+(?:\.\d+)?)\s*(ms|s)\b/i.exec(error.message);
  if (!match) return fallbackMs;
  const value = Number(match[1]);
  return Math.max(100, match[2]!.toLowerCase() === 'ms' ? value : value * 1000);
}

/** Reads an RFC 7807 problem document (or whatever the server sent) into a ChatError. */
export function parseProblem(status: number, body: unknown): ChatError {
  if (body !== null && typeof body === 'object') {
    const problem = body as Record<string, unknown>;
    const code = typeof problem.code === 'string' && problem.code ? problem.code : codeForStatus(status);
    const detail = typeof problem.detail === 'string' && problem.detail ? problem.detail
      : typeof problem.title === 'string' ? problem.title : undefined;
    return { code, message: describe(code, detail) };
  }
  const code = codeForStatus(status);
  return { code, message: describe(code) };
}

/** "Sending too fast: wait 2 s." — a short title, then the server's own sentence when it adds something. */
export function describe(code: string, sentence?: string): string {
  const title = titles[code];
  const detail = sentence?.trim().replace(/[.\s]+$/, '');
  if (title && detail) return `${title}: ${detail}.`;
  if (title) return `${title}.`;
  if (detail) return `${capitalize(detail)}.`;
  return `Something went wrong (${code.replace(/_/g, ' ')}).`;
}

function codeForStatus(status: number): string {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status === 0) return 'network';
  if (status >= 500) return 'backend_unavailable';
  return 'bad_request';
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Close reasons of an account's sockets (docs/accounts.md, "Live sockets"): the session is over, not the connection. */
const accountClosureCodes: ReadonlySet<string> = new Set(['account_banned', 'account_disabled', 'signed_out']);
const closePattern = /error on close:\s*([a-z][a-z0-9_]*):\s*([\s\S]*)$/;

/**
 * Reads why the server closed the hub connection for good (SignalR reports it as "Server returned an error on close:
 * <code>: <sentence>"); null when it was not an account closure (a network drop, the flood guard).
 */
export function accountClosure(error: unknown): ChatError | null {
  const raw = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  const match = closePattern.exec(raw.trim());
  if (!match || !accountClosureCodes.has(match[1]!)) return null;
  return { code: match[1]!, message: describe(match[1]!, match[2]) };
}
