import type { ApiClient } from '../api';

const seg = encodeURIComponent;

export type BotScope = 'read' | 'post' | 'events';
export const botScopes: readonly BotScope[] = ['read', 'post', 'events'];

/** A bot as admins see it: never its token. */
export interface Bot {
  id: string;
  userId: string;
  name: string;
  scopes: BotScope[];
  rooms: string[];
  createdAt: string;
  rotatedAt: string;
}

/** A bot with its token (`cbt_…`), the one time the token is shown. */
export interface IssuedBot {
  bot: Bot;
  token: string;
}

export type WebhookEvent = 'message.created' | 'mention' | 'agent.replied' | 'flag.raised' | 'room.changed';
export const webhookEvents: readonly WebhookEvent[] = ['message.created', 'mention', 'agent.replied', 'flag.raised', 'room.changed'];

/** An outgoing webhook subscription: never its secret. */
export interface Webhook {
  id: string;
  url: string;
  rooms: string[];
  events: WebhookEvent[];
  ownerUserId: string | null;
  createdAt: string;
  enabled: boolean;
  disabledReason: string | null;
}

/** A subscription with its signing secret (`whsec_…`), the one time the secret is shown. */
export interface IssuedWebhook {
  webhook: Webhook;
  secret: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

/** One entry of a subscription's delivery log. */
export interface WebhookDelivery {
  id: string;
  subscriptionId: string;
  eventType: WebhookEvent;
  payload: string;
  createdAt: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastLatencyMs: number | null;
}

/** Bots and outgoing webhooks (admin routes). */
export class IntegrationsApi {
  constructor(private readonly api: ApiClient) {}

  bots(): Promise<Bot[]> {
    return this.api.call('GET', '/api/admin/bots');
  }

  createBot(name: string, scopes: BotScope[], rooms: string[]): Promise<IssuedBot> {
    return this.api.call('POST', '/api/admin/bots', { name, scopes, rooms });
  }

  rotateBot(id: string): Promise<IssuedBot> {
    return this.api.call('POST', `/api/admin/bots/${seg(id)}/rotate`);
  }

  deleteBot(id: string): Promise<void> {
    return this.api.call('DELETE', `/api/admin/bots/${seg(id)}`);
  }

  webhooks(): Promise<Webhook[]> {
    return this.api.call('GET', '/api/admin/webhooks');
  }

  createWebhook(url: string, events: WebhookEvent[], rooms: string[], botId: string | null): Promise<IssuedWebhook> {
    return this.api.call('POST', '/api/admin/webhooks', { url, events, rooms, botId });
  }

  rotateWebhook(id: string): Promise<IssuedWebhook> {
    return this.api.call('POST', `/api/admin/webhooks/${seg(id)}/rotate`);
  }

  deleteWebhook(id: string): Promise<void> {
    return this.api.call('DELETE', `/api/admin/webhooks/${seg(id)}`);
  }

  deliveries(id: string, limit = 50): Promise<WebhookDelivery[]> {
    return this.api.call('GET', `/api/admin/webhooks/${seg(id)}/deliveries?limit=${limit}`);
  }

  redeliver(id: string, deliveryId: string): Promise<WebhookDelivery> {
    return this.api.call('POST', `/api/admin/webhooks/${seg(id)}/deliveries/${seg(deliveryId)}/redeliver`);
  }
}
