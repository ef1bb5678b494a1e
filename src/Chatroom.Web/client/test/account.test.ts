// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { ApiClient, ApiError } from '../src/api';
import { deletionNotice, deviceName, formatSharedKey } from '../src/account/accountPage';
import { linkParams } from '../src/account/emailLinks';
import { field, FormErrors, formError } from '../src/account/forms';
import { qrPath } from '../src/account/qr';
import { checkEmailText, guestMode, isChallenge, sentence, signInView, stepAfterSignIn } from '../src/account/signIn';
import type { AccountApi } from '../src/account/accountApi';
import { dateOfBirthError, fieldForCode, validateSignUp } from '../src/account/validation';
import { base64UrlToBytes, bytesToBase64Url, creationOptionsFromJson, credentialToJson, requestOptionsFromJson } from '../src/account/webauthn';
import { accountState, banUntil } from '../src/admin/users';
import { accountClosure } from '../src/lib/errors';
import type { Session } from '../src/types';

const good = { userName: 'ana_k', displayName: 'Ana', email: 'ana@example.org', password: 'correct horse battery', dateOfBirth: '2001-04-30' };
const today = new Date(Date.UTC(2026, 11, 7));

describe('the sign-up form', () => {
  it('passes a complete form and names every wrong field with a sentence', () => {
    expect(validateSignUp(good, today)).toEqual({});
    const errors = validateSignUp({ userName: 'a', displayName: 'x'.repeat(33), email: 'ana@', password: 'short', dateOfBirth: '' }, today);
    expect(Object.keys(errors).sort()).toEqual(['dateOfBirth', 'displayName', 'email', 'password', 'userName']);
    expect(errors.password).toBe('Passwords are at least 10 characters.');
  });

  it('takes user names in any script but not spaces or markup', () => {
    expect(validateSignUp({ ...good, userName: 'Łukasz' }, today)).toEqual({});
    expect(validateSignUp({ ...good, userName: 'ана' }, today)).toEqual({});
    expect(validateSignUp({ ...good, userName: 'ana k' }, today).userName).toBeDefined();
    expect(validateSignUp({ ...good, userName: '<b>' }, today).userName).toBeDefined();
  });

  it('refuses a second address, a display name, and a 10 KB password before sending', () => {
    expect(validateSignUp({ ...good, email: 'ana@example.org, bo@example.org' }, today).email).toBeDefined();
    expect(validateSignUp({ ...good, email: 'Ana <ana@example.org>' }, today).email).toBeDefined();
    expect(validateSignUp({ ...good, password: 'x'.repeat(10_240) }, today).password).toBe('Passwords are at most 128 characters.');
    expect(validateSignUp({ ...good, displayName: 'Ana\u202e' }, today).displayName).toBeDefined();
  });

  it('wants a real date of birth, not in the future', () => {
    expect(dateOfBirthError('2001-02-29', today)).toBe('Enter a date like 2001-04-30.');
    expect(dateOfBirthError('2027-01-01', today)).toBe('The date of birth cannot be in the future.');
    expect(dateOfBirthError('1899-12-31', today)).toBe('Enter a date after 1900.');
    expect(dateOfBirthError('2000-02-29', today)).toBeNull();
  });

  it('puts a server refusal next to the field it is about, or above the form', () => {
    const fields = ['userName', 'displayName', 'email', 'password', 'dateOfBirth'];
    expect(fieldForCode('user_name_taken', fields)).toBe('userName');
    expect(fieldForCode('weak_password', fields)).toBe('password');
    expect(fieldForCode('weak_password', ['currentPassword', 'newPassword'])).toBe('newPassword');
    expect(fieldForCode('invalid_credentials', ['login', 'password'])).toBe('password');
    expect(fieldForCode('rate_limited', fields)).toBeNull();
  });
});

describe('form errors in the page', () => {
  it('shows the server sentence by its field, marks it invalid, keeps what was typed and clears on the next try', () => {
    const userName = field('userName', 'u', 'User name');
    const email = field('email', 'e', 'Email');
    const general = formError('general');
    document.body.append(general, userName.element, email.element);
    userName.input.value = 'alice';
    email.input.value = 'alice@example.org';
    const errors = new FormErrors([userName, email], general);

    errors.fail(new ApiError(409, 'user_name_taken', 'That user name is taken.'), 'fallback');
    expect(userName.error.textContent).toBe('That user name is taken.');
    expect(userName.input.getAttribute('aria-invalid')).toBe('true');
    expect(userName.input.getAttribute('aria-describedby')).toBe('u-error');
    expect(userName.error.getAttribute('aria-live')).toBe('polite');
    expect(document.activeElement).toBe(userName.input);
    expect(userName.input.value).toBe('alice');
    expect(email.input.value).toBe('alice@example.org');

    errors.fail(new ApiError(429, 'rate_limited', 'Too many sign-ups; try again in an hour.'), 'fallback');
    expect(userName.error.textContent).toBe('');
    expect(general.textContent).toBe('Too many sign-ups; try again in an hour.');
    expect(general.getAttribute('role')).toBe('alert');

    expect(errors.check({})).toBe(true);
    expect(general.textContent).toBe('');
  });
});

describe('the sign-in steps', () => {
  const session: Session = { token: 't', expiresAt: '2026-12-07T06:00:00Z', refreshToken: 'r', refreshExpiresAt: '2027-01-06T06:00:00Z', user: { id: 'u1', name: 'Ana', role: 'user' } };

  it('goes into the chat with tokens and to the code step with a challenge', () => {
    expect(stepAfterSignIn(session)).toEqual({ session });
    const challenge = { twoFactorRequired: true as const, methods: ['totp', 'recovery_code'], ticket: 'abc' };
    expect(isChallenge(challenge)).toBe(true);
    expect(stepAfterSignIn(challenge)).toEqual({ kind: 'second-factor', challenge });
  });

  it('names the outbox folder only when the server says email goes there', () => {
    expect(checkEmailText({ message: 'check your email for a link to confirm the address' }, 'ana@example.org'))
      .toBe('Check your email: we sent a link to ana@example.org. Follow it to confirm the address, then sign in.');
    expect(checkEmailText({ message: 'x', outbox: '/data/outbox' }, 'ana@example.org')).toContain('/data/outbox');
  });

  it('offers the guest form unless the server turned guests off, and says so for read-only guests', () => {
    expect(guestMode(undefined)).toBe('on');
    expect(guestMode('read-only')).toBe('read-only');
    expect(guestMode('off')).toBe('off');
    expect(guestMode('weird')).toBe('on');
  });

  it('shows why the last session ended on the first screen, and the guest form only where guests may sign in', () => {
    const api = new ApiClient({ apiBase: '', token: () => null });
    const accounts = {} as AccountApi;
    const open = (guests: 'on' | 'read-only' | 'off'): HTMLElement =>
      signInView({ api, accounts, guests, notice: 'This account is banned until 2026-12-08 06:00 UTC.', onSignedIn: () => undefined });
    const view = open('on');
    expect(view.querySelector('[data-testid=login-error]')!.textContent).toBe('This account is banned until 2026-12-08 06:00 UTC.');
    expect(view.querySelector('[data-testid=name-input]')).not.toBeNull();
    expect(open('read-only').querySelector('[data-testid=guest-note]')!.textContent).toContain('not post');
    expect(open('off').querySelector('[data-testid=name-input]')).toBeNull();
  });

  it('turns the server message into a sentence', () => {
    expect(sentence('if the address belongs to an account, a reset link is on its way')).toBe('If the address belongs to an account, a reset link is on its way.');
  });

  it('reads the email links', () => {
    expect(linkParams('?userId=u1&token=a%2Bb')).toEqual({ userId: 'u1', token: 'a+b' });
    expect(linkParams('?userId=u1')).toBeNull();
  });
});

describe('the REST client without a session', () => {
  it('sends no token to the sign-in routes, and reads a 202 answer', async () => {
    const headers: Record<string, string>[] = [];
    const api = new ApiClient({
      apiBase: '',
      token: () => 'secret',
      fetch: async (_url, init) => {
        headers.push(init?.headers as Record<string, string>);
        return new Response(JSON.stringify({ message: 'check your email' }), { status: 202, headers: { 'Content-Type': 'application/json' } });
      },
    });
    expect(await api.publicCall('POST', '/api/auth/register', {})).toEqual({ message: 'check your email' });
    expect(headers[0]!.Authorization).toBeUndefined();
  });
});

describe('the account page', () => {
  it('says what deletion does to messages, as docs/accounts.md does', () => {
    expect(deletionNotice).toContain('Messages you wrote stay in their rooms under the display name you had');
  });

  it('names devices and groups the authenticator key for typing', () => {
    expect(deviceName('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36')).toBe('Chrome on Linux');
    expect(deviceName(null)).toBe('Unknown device');
    expect(formatSharedKey('JBSWY3DPEHPK3PXP')).toBe('jbsw y3dp ehpk 3pxp');
  });

  it('draws the QR code locally as one path of dark modules inside the quiet zone', () => {
    const modules = { size: 2, get: (r: number, c: number) => (r === c ? 1 : 0) };
    expect(qrPath(modules)).toBe('M4 4h1v1h-1zM5 5h1v1h-1z');
  });
});

describe('passkeys in JSON', () => {
  it('round-trips base64url', () => {
    const bytes = new Uint8Array([0, 251, 255, 62, 63]);
    expect(bytesToBase64Url(bytes)).toBe('APv_Pj8');
    expect([...base64UrlToBytes('APv_Pj8')]).toEqual([...bytes]);
  });

  it('turns the server options into what the browser takes', () => {
    const creation = creationOptionsFromJson({
      challenge: 'AQID', rp: { name: 'Chatroom' }, user: { id: 'BAU', name: 'ana', displayName: 'Ana' },
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }], excludeCredentials: [{ id: 'Bgc', type: 'public-key' }],
    });
    expect([...new Uint8Array(creation.challenge as ArrayBuffer)]).toEqual([1, 2, 3]);
    expect([...new Uint8Array(creation.user.id as ArrayBuffer)]).toEqual([4, 5]);
    expect([...new Uint8Array(creation.excludeCredentials![0]!.id as ArrayBuffer)]).toEqual([6, 7]);
    expect(creation.rp).toEqual({ name: 'Chatroom' });
    const request = requestOptionsFromJson({ challenge: 'AQID', allowCredentials: [{ id: 'Bgc', type: 'public-key' }] });
    expect([...new Uint8Array(request.allowCredentials![0]!.id as ArrayBuffer)]).toEqual([6, 7]);
  });

  it('sends an assertion back as JSON when the browser has no toJSON', () => {
    const buffer = (...b: number[]): ArrayBuffer => new Uint8Array(b).buffer;
    expect(credentialToJson({
      id: 'Bgc', rawId: buffer(6, 7), type: 'public-key', authenticatorAttachment: 'platform',
      response: { clientDataJSON: buffer(1), authenticatorData: buffer(2), signature: buffer(3), userHandle: buffer(4) },
      getClientExtensionResults: () => ({}),
    })).toEqual({
      id: 'Bgc', rawId: 'Bgc', type: 'public-key', authenticatorAttachment: 'platform',
      response: { clientDataJSON: 'AQ', authenticatorData: 'Ag', signature: 'Aw', userHandle: 'BA' },
      clientExtensionResults: {},
    });
  });
});

describe('account closures on the hub', () => {
  it('reads a ban from the close message and leaves other closes to the reconnect logic', () => {
    const ban = accountClosure(new Error('Server returned an error on close: account_banned: this account is banned until 2026-12-08 06:00 UTC'));
    expect(ban).toEqual({ code: 'account_banned', message: 'This account is banned until 2026-12-08 06:00 UTC.' });
    expect(accountClosure(new Error('Server returned an error on close: rate_limited: slow down'))).toBeNull();
    expect(accountClosure(new Error('WebSocket closed with status code: 1006'))).toBeNull();
    expect(accountClosure(undefined)).toBeNull();
  });
});

describe('the admin users page', () => {
  const now = Date.parse('2026-12-07T06:00:00Z');

  it('turns a ban duration into its end, or none for a permanent ban', () => {
    expect(banUntil('1d', now)).toBe('2026-12-08T06:00:00.000Z');
    expect(banUntil('permanent', now)).toBeNull();
  });

  it('says whether an account is banned, disabled or active', () => {
    expect(accountState({ banned: { until: '2026-12-08T06:00:00Z', reason: 'spam' }, disabled: false }, now)).toEqual({ key: 'banned', text: 'Banned until 2026-12-08 06:00 UTC' });
    expect(accountState({ banned: { until: '9999-12-31T23:59:59Z', reason: null }, disabled: false }, now).text).toBe('Banned permanently');
    expect(accountState({ banned: { until: '2026-12-01T00:00:00Z', reason: null }, disabled: true }, now).key).toBe('disabled');
    expect(accountState({ banned: null, disabled: false }, now).key).toBe('active');
  });
});
