import type { ApiClient } from '../api';
import type { SecondFactor, Session } from '../types';
import type {
  AcceptedAnswer, AccountProfile, AccountSession, AuthenticatorEnrollment, Passkey, PasskeyCeremony, RecoveryCodes, RegisterRequest,
  SignInAnswer, TwoFactorStatus,
} from './types';
import type { CreationOptionsJson, RequestOptionsJson } from './webauthn';

const seg = encodeURIComponent;

/** The account routes of the REST API: /api/auth for signing in and out, /api/account for the signed-in person. */
export class AccountApi {
  constructor(private readonly api: ApiClient) {}

  // ----- without a session -----

  register(request: RegisterRequest): Promise<AcceptedAnswer> {
    return this.api.publicCall('POST', '/api/auth/register', request);
  }

  confirmEmail(userId: string, token: string): Promise<void> {
    return this.api.publicCall('POST', '/api/auth/confirm-email', { userId, token });
  }

  signIn(login: string, password: string): Promise<SignInAnswer> {
    return this.api.publicCall('POST', '/api/auth/login', { login, password });
  }

  signInSecondFactor(ticket: string, factor: SecondFactor): Promise<Session> {
    return this.api.signInSecondFactor(ticket, factor);
  }

  forgotPassword(email: string): Promise<AcceptedAnswer> {
    return this.api.publicCall('POST', '/api/auth/forgot-password', { email });
  }

  resetPassword(userId: string, token: string, password: string): Promise<void> {
    return this.api.publicCall('POST', '/api/auth/reset-password', { userId, token, password });
  }

  passkeySignInOptions(): Promise<PasskeyCeremony<RequestOptionsJson>> {
    return this.api.publicCall('POST', '/api/auth/passkey/options', {});
  }

  passkeySignIn(credential: unknown, state: string): Promise<SignInAnswer> {
    return this.api.publicCall('POST', '/api/auth/passkey/login', { credential, state });
  }

  // ----- the signed-in account -----

  signOut(everywhere: boolean): Promise<void> {
    return this.api.call('POST', '/api/auth/logout', { everywhere });
  }

  profile(): Promise<AccountProfile> {
    return this.api.call('GET', '/api/account');
  }

  updateProfile(displayName: string): Promise<AccountProfile> {
    return this.api.call('PATCH', '/api/account', { displayName });
  }

  changePassword(currentPassword: string, newPassword: string): Promise<void> {
    return this.api.call('POST', '/api/account/password', { currentPassword, newPassword });
  }

  deleteAccount(password: string): Promise<void> {
    return this.api.call('DELETE', '/api/account', { password });
  }

  exportData(): Promise<unknown> {
    return this.api.call('GET', '/api/account/export');
  }

  twoFactor(): Promise<TwoFactorStatus> {
    return this.api.call('GET', '/api/account/2fa');
  }

  enrollAuthenticator(): Promise<AuthenticatorEnrollment> {
    return this.api.call('POST', '/api/account/2fa/authenticator', {});
  }

  verifyAuthenticator(code: string): Promise<RecoveryCodes> {
    return this.api.call('POST', '/api/account/2fa/verify', { code });
  }

  disableTwoFactor(password: string): Promise<void> {
    return this.api.call('POST', '/api/account/2fa/disable', { password });
  }

  newRecoveryCodes(): Promise<RecoveryCodes> {
    return this.api.call('POST', '/api/account/2fa/recovery-codes', {});
  }

  sessions(): Promise<AccountSession[]> {
    return this.api.call('GET', '/api/account/sessions');
  }

  revokeSession(id: string): Promise<void> {
    return this.api.call('DELETE', `/api/account/sessions/${seg(id)}`);
  }

  passkeys(): Promise<Passkey[]> {
    return this.api.call('GET', '/api/account/passkeys');
  }

  passkeyCreationOptions(): Promise<PasskeyCeremony<CreationOptionsJson>> {
    return this.api.call('POST', '/api/account/passkeys/options', {});
  }

  addPasskey(credential: unknown, state: string, name: string): Promise<Passkey> {
    return this.api.call('POST', '/api/account/passkeys', { credential, state, name });
  }

  renamePasskey(id: string, name: string): Promise<void> {
    return this.api.call('PATCH', `/api/account/passkeys/${seg(id)}`, { name });
  }

  removePasskey(id: string): Promise<void> {
    return this.api.call('DELETE', `/api/account/passkeys/${seg(id)}`);
  }
}
