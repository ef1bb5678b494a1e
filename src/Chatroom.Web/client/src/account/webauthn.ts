// Passkeys in the browser: the server speaks WebAuthn's JSON (binary fields as base64url), the browser's
// navigator.credentials speaks ArrayBuffers. Chromium has parse*FromJSON and toJSON; the converters below cover
// browsers without them.

/** A credential descriptor in JSON (allowCredentials, excludeCredentials). */
export interface CredentialDescriptorJson {
  id: string;
  type: string;
  transports?: string[];
}

export interface CreationOptionsJson {
  challenge: string;
  user: { id: string; name: string; displayName: string };
  excludeCredentials?: CredentialDescriptorJson[];
  [key: string]: unknown;
}

export interface RequestOptionsJson {
  challenge: string;
  allowCredentials?: CredentialDescriptorJson[];
  [key: string]: unknown;
}

export function base64UrlToBytes(value: string): Uint8Array<ArrayBuffer> {
  const base64 = value.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(value.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function bytesToBase64Url(value: ArrayBuffer | ArrayBufferView): string {
  const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function descriptors(list: CredentialDescriptorJson[] | undefined): PublicKeyCredentialDescriptor[] | undefined {
  return list?.map((d) => ({ ...d, id: base64UrlToBytes(d.id), transports: d.transports as AuthenticatorTransport[] | undefined, type: 'public-key' }));
}

/** Creation options JSON → what navigator.credentials.create takes. */
export function creationOptionsFromJson(json: CreationOptionsJson): PublicKeyCredentialCreationOptions {
  return {
    ...(json as unknown as PublicKeyCredentialCreationOptions),
    challenge: base64UrlToBytes(json.challenge),
    user: { ...json.user, id: base64UrlToBytes(json.user.id) },
    excludeCredentials: descriptors(json.excludeCredentials),
  };
}

/** Request options JSON → what navigator.credentials.get takes. */
export function requestOptionsFromJson(json: RequestOptionsJson): PublicKeyCredentialRequestOptions {
  return {
    ...(json as unknown as PublicKeyCredentialRequestOptions),
    challenge: base64UrlToBytes(json.challenge),
    allowCredentials: descriptors(json.allowCredentials),
  };
}

/** The parts of a PublicKeyCredential this needs (so tests can pass plain objects). */
export interface CredentialLike {
  id: string;
  rawId: ArrayBuffer;
  type: string;
  authenticatorAttachment?: string | null;
  response: {
    clientDataJSON: ArrayBuffer;
    attestationObject?: ArrayBuffer;
    authenticatorData?: ArrayBuffer;
    signature?: ArrayBuffer;
    userHandle?: ArrayBuffer | null;
    getTransports?: () => string[];
  };
  getClientExtensionResults?: () => unknown;
  toJSON?: () => unknown;
}

/** A credential → the JSON the server reads (PublicKeyCredential.toJSON's shape). */
export function credentialToJson(credential: CredentialLike): unknown {
  if (typeof credential.toJSON === 'function') return credential.toJSON();
  const r = credential.response;
  const response: Record<string, unknown> = { clientDataJSON: bytesToBase64Url(r.clientDataJSON) };
  if (r.attestationObject) {
    response.attestationObject = bytesToBase64Url(r.attestationObject);
    response.transports = r.getTransports?.() ?? [];
  }
  if (r.authenticatorData) response.authenticatorData = bytesToBase64Url(r.authenticatorData);
  if (r.signature) response.signature = bytesToBase64Url(r.signature);
  if (r.userHandle) response.userHandle = bytesToBase64Url(r.userHandle);
  return {
    id: credential.id,
    rawId: bytesToBase64Url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment ?? null,
    response,
    clientExtensionResults: credential.getClientExtensionResults?.() ?? {},
  };
}

interface JsonParsingPublicKeyCredential {
  parseCreationOptionsFromJSON?: (json: unknown) => PublicKeyCredentialCreationOptions;
  parseRequestOptionsFromJSON?: (json: unknown) => PublicKeyCredentialRequestOptions;
}

/** Whether this browser can use passkeys at all. */
export function passkeysSupported(): boolean {
  return typeof window !== 'undefined' && 'PublicKeyCredential' in window && !!navigator.credentials;
}

/** Asks the authenticator for a new passkey; resolves to the credential as JSON. */
export async function createPasskey(options: CreationOptionsJson): Promise<unknown> {
  const native = (window.PublicKeyCredential as unknown as JsonParsingPublicKeyCredential).parseCreationOptionsFromJSON;
  const publicKey = native ? native(options) : creationOptionsFromJson(options);
  const credential = await navigator.credentials.create({ publicKey });
  if (!credential) throw new Error('No passkey was created.');
  return credentialToJson(credential as unknown as CredentialLike);
}

/** Asks the authenticator to sign in with a passkey; resolves to the assertion as JSON. */
export async function getPasskey(options: RequestOptionsJson): Promise<unknown> {
  const native = (window.PublicKeyCredential as unknown as JsonParsingPublicKeyCredential).parseRequestOptionsFromJSON;
  const publicKey = native ? native(options) : requestOptionsFromJson(options);
  const credential = await navigator.credentials.get({ publicKey });
  if (!credential) throw new Error('No passkey was chosen.');
  return credentialToJson(credential as unknown as CredentialLike);
}

/** A cancelled or timed-out browser prompt, in words (the browser's own messages are long and technical). */
export function passkeyFailure(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'AbortError') return 'The passkey prompt was cancelled or timed out.';
  if (name === 'InvalidStateError') return 'This device already holds a passkey for this account.';
  if (name === 'SecurityError') return 'Passkeys need this page to be served over HTTPS (or from localhost).';
  return error instanceof Error && error.message ? error.message : 'The passkey did not work.';
}
