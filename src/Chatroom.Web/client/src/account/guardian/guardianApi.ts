import type { ApiClient } from '../../api';
import type { ConsentDecision, ConsentView, DirectMessages, GuardedMinor, GuardianStatus, MinorSafetyEvent } from './types';

const seg = encodeURIComponent;

/** The guardian routes: the minor's request under /api/account/guardian, the guardian's under /api/guardian. */
export class GuardianApi {
  constructor(private readonly api: ApiClient) {}

  status(): Promise<GuardianStatus> {
    return this.api.call('GET', '/api/account/guardian');
  }

  ask(email: string): Promise<GuardianStatus> {
    return this.api.call('POST', '/api/account/guardian', { email });
  }

  consent(token: string): Promise<ConsentView> {
    return this.api.call('GET', `/api/guardian/consents/${seg(token)}`);
  }

  decide(token: string, decision: 'approve' | 'decline', directMessages: DirectMessages): Promise<ConsentDecision> {
    return this.api.call('POST', `/api/guardian/consents/${seg(token)}`, { decision, directMessages });
  }

  minors(): Promise<GuardedMinor[]> {
    return this.api.call('GET', '/api/guardian/minors');
  }

  restrict(id: string, directMessages: DirectMessages): Promise<GuardedMinor> {
    return this.api.call('PUT', `/api/guardian/minors/${seg(id)}/restrictions`, { directMessages });
  }

  revoke(id: string): Promise<GuardedMinor> {
    return this.api.call('POST', `/api/guardian/minors/${seg(id)}/revoke`, {});
  }

  async events(id: string): Promise<MinorSafetyEvent[]> {
    const answer = await this.api.call<{ events: MinorSafetyEvent[] }>('GET', `/api/guardian/minors/${seg(id)}/events`);
    return answer.events;
  }
}
