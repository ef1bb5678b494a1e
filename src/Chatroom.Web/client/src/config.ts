import type { ClientConfig } from './types';

export const defaultConfig: ClientConfig = { apiBase: '', hubUrl: '/hubs/chat' };

/** Where the API and hub live, from /config.json (served by Chatroom.Web); same origin when absent. */
export async function loadConfig(): Promise<ClientConfig> {
  try {
    const response = await fetch('/config.json', { cache: 'no-store', headers: { Accept: 'application/json' } });
    if (!response.ok) return defaultConfig;
    const body = (await response.json()) as Partial<ClientConfig>;
    return {
      apiBase: typeof body.apiBase === 'string' ? body.apiBase.replace(/\/+$/, '') : defaultConfig.apiBase,
      hubUrl: typeof body.hubUrl === 'string' && body.hubUrl ? body.hubUrl : defaultConfig.hubUrl,
      ...(body.guests === 'on' || body.guests === 'read-only' || body.guests === 'off' ? { guests: body.guests } : {}),
    };
  } catch {
    return defaultConfig;
  }
}
