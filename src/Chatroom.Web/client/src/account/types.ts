// Shapes of the account routes (docs/accounts.md), as the server sends them.
import type { Session, TwoFactorChallenge } from '../types';

/** What sign-in answers: tokens, or a second-factor challenge. */
export type SignInAnswer = Session | TwoFactorChallenge;

export interface RegisterRequest {
  userName: string;
  displayName: string;
  email: string;
  password: string;
  /** yyyy-mm-dd */
  dateOfBirth: string;
}

/** The answer to sign-up and forgot-password: the same whether or not the address has an account. */
export interface AcceptedAnswer {
  message: string;
  /** Where the message went when the server writes email to a folder instead of sending it (only if it says so). */
  outbox?: string | null;
}

export interface AccountProfile {
  id: string;
  userName: string;
  displayName: string;
  email: string;
  emailConfirmed: boolean;
  dateOfBirth: string;
  roles: string[];
  twoFactorEnabled: boolean;
  createdAt: string;
  /** `none`, `pending`, `approved`, `declined`, `revoked` (docs/safety.md, "Minors and guardians"). */
  guardianState: string;
  /** Who may send a first private message: `off`, `contacts`, `everyone`. */
  directMessages: string;
}

export interface TwoFactorStatus {
  enabled: boolean;
  hasAuthenticator: boolean;
  recoveryCodesLeft: number;
}

export interface AuthenticatorEnrollment {
  sharedKey: string;
  authenticatorUri: string;
}

export interface RecoveryCodes {
  codes: string[];
}

export interface AccountSession {
  id: string;
  startedAt: string;
  lastRefreshedAt: string;
  expiresAt: string;
  userAgent: string | null;
  address: string | null;
  current: boolean;
}

export interface Passkey {
  id: string;
  name: string | null;
  createdAt: string;
  lastUsedAt: string | null;
}

/** WebAuthn options as JSON (base64url strings) and the server's state for the ceremony. */
export interface PasskeyCeremony<T> {
  options: T;
  state: string;
}
