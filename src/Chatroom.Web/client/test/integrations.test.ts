// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src/api';
import { BotsPage } from '../src/admin/bots';
import { parseRooms } from '../src/admin/integrationWidgets';
import type { Bot, IntegrationsApi, Webhook, WebhookDelivery } from '../src/admin/integrationsApi';
import { deliveryOutcome, formatLatency, WebhooksPage } from '../src/admin/webhooks';

const bot: Bot = { id: '3f9a0c1d5e7b2a48', userId: 'bot_3f9a0c1d5e7b2a48', name: 'ci', scopes: ['post', 'read'], rooms: ['builds'], createdAt: '2026-12-07T09:00:00Z', rotatedAt: '2026-12-07T09:00:00Z' };
const hook: Webhook = { id: 'wh_1', url: 'https://ci.example.com/events', rooms: ['*'], events: ['message.created'], ownerUserId: null, createdAt: '2026-12-07T09:00:00Z', enabled: true, disabledReason: null };

function delivery(id: string, status: WebhookDelivery['status'], more: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return {
    id, subscriptionId: 'wh_1', eventType: 'message.created', payload: '{}', createdAt: '2026-12-07T09:00:00Z', status, attempts: 1,
    nextAttemptAt: '2026-12-07T09:00:00Z', lastAttemptAt: '2026-12-07T09:00:00Z', lastStatusCode: 204, lastError: null, lastLatencyMs: 12.5, ...more,
  };
}

const q = (root: HTMLElement, testid: string): HTMLElement => root.querySelector(`[data-testid="${testid}"]`)!;
const all = (root: HTMLElement, testid: string): HTMLElement[] => [...root.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)];

describe('integration helpers', () => {
  it('reads a typed room list and words a delivery\'s outcome', () => {
    expect(parseRooms(' Builds, deploys\nbuilds  ')).toEqual(['builds', 'deploys']);
    expect(formatLatency(null)).toBe('–');
    expect(formatLatency(12.4)).toBe('12 ms');
    expect(formatLatency(5230)).toBe('5.2 s');
    expect(deliveryOutcome(delivery('a', 'delivered'))).toBe('delivered (204)');
    expect(deliveryOutcome(delivery('b', 'dead', { lastStatusCode: 503 }))).toBe('dead letter: HTTP 503');
    expect(deliveryOutcome(delivery('c', 'pending', { lastStatusCode: null, lastError: 'no answer within 10 s' }))).toBe('retrying: no answer within 10 s');
    expect(deliveryOutcome(delivery('d', 'pending', { attempts: 0, lastStatusCode: null }))).toBe('waiting for its first try');
  });
});

describe('the bots page', () => {
  it('creates a bot with its scopes and rooms and shows the token once; names stay text', async () => {
    const bots: Bot[] = [];
    const createBot = vi.fn((name: string, scopes: Bot['scopes'], rooms: string[]) => {
      const made = { ...bot, name, scopes, rooms };
      bots.push(made);
      return Promise.resolve({ bot: made, token: 'cbt_secret' });
    });
    const api = { bots: () => Promise.resolve([...bots]), createBot } as unknown as IntegrationsApi;
    const page = new BotsPage(api);
    page.show();
    (q(page.element, 'bot-name') as HTMLInputElement).value = '<b>ci</b>';
    (q(page.element, 'bot-rooms') as HTMLInputElement).value = 'builds, deploys';
    q(page.element, 'bot-form').dispatchEvent(new Event('submit', { cancelable: true }));

    await vi.waitFor(() => expect(q(page.element, 'bot-token-value').textContent).toBe('cbt_secret'));
    expect(createBot).toHaveBeenCalledWith('<b>ci</b>', ['read', 'post'], ['builds', 'deploys']);
    await vi.waitFor(() => expect(all(page.element, 'bot-row')).toHaveLength(1));
    expect(page.element.querySelector('b')).toBeNull();

    // Leaving the page takes the token off the screen.
    page.hide();
    expect(q(page.element, 'bot-token').hidden).toBe(true);
  });

  it('rotates a token (shown once) and deletes only on the second click', async () => {
    const deleteBot = vi.fn(() => Promise.resolve());
    const api = {
      bots: () => Promise.resolve([bot]),
      rotateBot: () => Promise.resolve({ bot, token: 'cbt_new' }),
      deleteBot,
    } as unknown as IntegrationsApi;
    const page = new BotsPage(api);
    await page.refresh();
    q(page.element, 'bot-rotate').click();
    await vi.waitFor(() => expect(q(page.element, 'bot-token-value').textContent).toBe('cbt_new'));

    q(page.element, 'bot-delete').click();
    expect(deleteBot).not.toHaveBeenCalled();
    q(page.element, 'bot-delete').click();
    await vi.waitFor(() => expect(all(page.element, 'bot-row')).toHaveLength(0));
    expect(deleteBot).toHaveBeenCalledWith(bot.id);
  });

  it('says what the server refused', async () => {
    const api = {
      bots: () => Promise.resolve([]),
      createBot: () => Promise.reject(new ApiError(400, 'invalid_name', "names are 1-32 ASCII letters, digits, '-', '_' or '.'")),
    } as unknown as IntegrationsApi;
    const page = new BotsPage(api);
    (q(page.element, 'bot-rooms') as HTMLInputElement).value = 'builds';
    q(page.element, 'bot-form').dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(q(page.element, 'bots-status').textContent).toContain('names are 1-32'));
    expect(q(page.element, 'bot-token').hidden).toBe(true);
  });
});

describe('the webhooks page', () => {
  it('creates a webhook for all rooms with its events and shows the secret once', async () => {
    const createWebhook = vi.fn(() => Promise.resolve({ webhook: hook, secret: 'whsec_abc' }));
    const api = { webhooks: () => Promise.resolve([hook]), createWebhook } as unknown as IntegrationsApi;
    const page = new WebhooksPage(api);
    (q(page.element, 'webhook-url') as HTMLInputElement).value = hook.url;
    (q(page.element, 'webhook-rooms') as HTMLInputElement).value = '*';
    (q(page.element, 'webhook-event-room.changed') as HTMLInputElement).checked = true;
    q(page.element, 'webhook-form').dispatchEvent(new Event('submit', { cancelable: true }));

    await vi.waitFor(() => expect(q(page.element, 'webhook-secret-value').textContent).toBe('whsec_abc'));
    expect(createWebhook).toHaveBeenCalledWith(hook.url, ['message.created', 'room.changed'], ['*'], null);
    await vi.waitFor(() => expect(all(page.element, 'webhook-row')).toHaveLength(1));
  });

  it('shows the delivery log with latency and dead letters, and redelivers a dead one', async () => {
    let entries = [delivery('msg_ok', 'delivered'), delivery('msg_dead', 'dead', { attempts: 8, lastStatusCode: 503, lastLatencyMs: 5230 })];
    const redeliver = vi.fn((_: string, id: string) => {
      entries = entries.map((d) => (d.id === id ? { ...d, status: 'pending' as const, attempts: 0 } : d));
      return Promise.resolve(entries.find((d) => d.id === id)!);
    });
    const api = { webhooks: () => Promise.resolve([hook]), deliveries: () => Promise.resolve(entries), redeliver } as unknown as IntegrationsApi;
    const page = new WebhooksPage(api);
    await page.refresh();
    q(page.element, 'webhook-deliveries').click();

    await vi.waitFor(() => expect(all(page.element, 'delivery-row')).toHaveLength(2));
    expect(q(page.element, 'dead-count').textContent).toBe('1 dead letter');
    expect(all(page.element, 'delivery-latency').map((c) => c.textContent)).toEqual(['13 ms', '5.2 s']);
    const deadRow = page.element.querySelector<HTMLElement>('[data-delivery="msg_dead"]')!;
    expect(deadRow.textContent).toContain('dead letter: HTTP 503');

    (deadRow.querySelector('[data-testid="redeliver"]') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(q(page.element, 'dead-count').textContent).toBe('0 dead letters'));
    expect(redeliver).toHaveBeenCalledWith('wh_1', 'msg_dead');
    expect(q(page.element, 'delivery-note').textContent).toContain('same id');
  });

  it('rotates the secret and deletes on the second click', async () => {
    const deleteWebhook = vi.fn(() => Promise.resolve());
    const api = {
      webhooks: () => Promise.resolve([hook]),
      rotateWebhook: () => Promise.resolve({ webhook: hook, secret: 'whsec_new' }),
      deleteWebhook,
    } as unknown as IntegrationsApi;
    const page = new WebhooksPage(api);
    await page.refresh();
    q(page.element, 'webhook-rotate').click();
    await vi.waitFor(() => expect(q(page.element, 'webhook-secret-value').textContent).toBe('whsec_new'));
    q(page.element, 'webhook-delete').click();
    q(page.element, 'webhook-delete').click();
    await vi.waitFor(() => expect(all(page.element, 'webhook-row')).toHaveLength(0));
    expect(deleteWebhook).toHaveBeenCalledWith('wh_1');
  });
});
