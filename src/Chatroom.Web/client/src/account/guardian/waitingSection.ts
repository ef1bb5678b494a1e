import { h, replaceChildren } from '../../lib/dom';
import { busy, failureText, field, formError, singleFieldForm } from '../forms';
import type { AccountProfile } from '../types';
import { emailError } from '../validation';
import type { GuardianApi } from './guardianApi';
import type { GuardianStatus } from './types';

const stateSentence: Record<string, string> = {
  pending: 'Your account is waiting for your parent or guardian to approve it. Until then you can read public rooms but not write.',
  declined: 'Your guardian declined. You can still read; ask another parent or guardian below.',
  approved: 'Your guardian approved your account. You can chat.',
};

/**
 * The account page's guardian section. A minor below the consent age names their guardian's address and sees where
 * the request stands; once approved, "Check again" renews the session so the next token lets them send. Everyone
 * else finds the way to "My minors" here.
 */
export function guardianSection(
  guardians: GuardianApi, profile: AccountProfile, renew: () => Promise<void>, section: (testid: string, title: string, ...body: HTMLElement[]) => HTMLElement,
): HTMLElement {
  const minorsLink = h('a', { class: 'secondary-button', testid: 'my-minors-link', attrs: { href: '/account/guardian/minors' } }, 'My minors');
  if (profile.guardianState === 'none') {
    return section('guardian', 'Guardian', h('p', { class: 'muted' }, 'Parents and guardians: see and manage the accounts you approved.'), minorsLink);
  }
  const state = h('p', { testid: 'guardian-state', attrs: { role: 'status', 'aria-live': 'polite' } });
  const request = h('p', { class: 'muted', testid: 'guardian-request' });
  const error = formError('guardian-error');
  const show = (status: GuardianStatus): void => {
    state.textContent = status.required || status.state !== 'approved' ? stateSentence[status.state] ?? status.state : stateSentence.approved!;
    request.textContent = status.guardianEmail ? `We emailed ${status.guardianEmail}; the link works until ${new Date(status.expiresAt!).toLocaleString()}.` : '';
  };
  const email = field('email', 'guardian-email', "Your parent's or guardian's email", { type: 'email', autocomplete: 'off', required: true },
    'They get a link to approve your account. At most three emails a day.');
  const form = singleFieldForm({
    field: email, errorTestid: 'guardian-ask-error', submitLabel: 'Ask for consent', submitTestid: 'guardian-ask', failure: 'Could not send the email.',
    check: (value) => emailError(value),
    send: (value) => guardians.ask(value.trim()),
    done: show,
  });
  const check = h('button', { class: 'ghost-button', testid: 'guardian-check', attrs: { type: 'button' } }, 'Check again');
  const body = h('div', null, state, request, form, h('div', { class: 'button-row' }, check), error);
  check.addEventListener('click', () => {
    error.textContent = '';
    void busy(check, async () => {
      const status = await guardians.status();
      show(status);
      if (status.state === 'approved' && !status.required) {
        // The token still says "waiting"; the renewed one does not.
        await renew();
        replaceChildren(body, state, h('a', { class: 'primary-button', testid: 'guardian-go-chat', attrs: { href: '/' } }, 'Start chatting'));
      }
    }).catch((failure: unknown) => (error.textContent = failureText(failure, 'Could not check.')));
  });
  void guardians.status().then((status) => {
    show(status);
    if (status.state === 'approved' || status.state === 'revoked') form.remove();
  }, (failure: unknown) => (error.textContent = failureText(failure, 'Could not load the request.')));
  return section('guardian', 'Guardian consent', body);
}
