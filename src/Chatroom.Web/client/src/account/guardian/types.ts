// Shapes of the guardian routes (docs/accounts.md, "Minors and guardians"), as the server sends them.

/** Who may send a minor a first private message. */
export type DirectMessages = 'off' | 'contacts' | 'everyone';

/** The minor's own view: `GET /api/account/guardian`. */
export interface GuardianStatus {
  required: boolean;
  state: string;
  guardianEmail: string | null;
  requestedAt: string | null;
  expiresAt: string | null;
  directMessages: DirectMessages;
}

/** What a consent link shows: `GET /api/guardian/consents/{token}`. */
export interface ConsentView {
  minor: { id: string; userName: string; displayName: string; age: number };
  guardianEmail: string;
  expiresAt: string;
  allowed: { publicRooms: boolean; directMessages: DirectMessages; messageRequests: boolean; guardianSees: string };
  you: { adult: boolean; secondFactor: boolean };
}

export interface ConsentDecision {
  minorUserId: string;
  state: string;
  directMessages: DirectMessages;
}

/** One of the guardian's minors: `GET /api/guardian/minors`. */
export interface GuardedMinor {
  id: string;
  userName: string;
  displayName: string;
  age: number;
  state: string;
  directMessages: DirectMessages;
  disabled: boolean;
  decidedAt: string | null;
}

export interface MinorSafetyEvent {
  at: string;
  kind: 'alert' | 'decision' | string;
  action: string;
  room: string | null;
  summary: string;
  source: string;
}
