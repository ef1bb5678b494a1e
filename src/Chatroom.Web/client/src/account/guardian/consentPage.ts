import { ApiError } from '../../api';
import { when } from '../../admin/widgets';
import { h, replaceChildren } from '../../lib/dom';
import { busy, failureText, formError } from '../forms';
import { directMessageChoices } from './claims';
import type { GuardianApi } from './guardianApi';
import { choice, guardianShell } from './shell';
import type { DirectMessages } from './types';

/** What a refused link means to the person holding it, by the server's stable code. */
const refusals: Record<string, string> = {
  consent_invalid: 'This link is not valid any more: it is wrong, or the account asked again and a newer email has the link that works.',
  consent_used: 'This request was answered already. Each link works once.',
  consent_expired: 'This link has expired. The account can send you a new one.',
  consent_own_account: 'This link is for your parent or guardian. Ask them to open it from their email.',
};

/**
 * /account/guardian/consent?token=… — the link of the consent email, opened signed in (the sign-in screen comes first
 * otherwise). The guardian sees who asks and what the account will be allowed, then approves or declines; without a
 * second factor the page says how to enrol one first, and deciding stays off.
 */
export function consentPage(guardians: GuardianApi, search: string, onSignOut: () => void): HTMLElement {
  const token = new URLSearchParams(search).get('token');
  const body = h('div', { class: 'card account-section' }, h('p', { class: 'muted', attrs: { role: 'status' } }, 'Loading…'));
  const shell = guardianShell('guardian-consent', 'A request for your consent', onSignOut, body);
  if (!token) {
    replaceChildren(body, formError('consent-error', 'This link is incomplete. Open the link from the email again.'));
    return shell;
  }
  void guardians.consent(token).then((view) => {
    const status = h('p', { class: 'form-status', testid: 'consent-status', attrs: { role: 'status', 'aria-live': 'polite' } });
    const error = formError('consent-error');
    const dm = choice('consent-dm', 'Who may send them a first private message', directMessageChoices, view.allowed.directMessages);
    const approve = h('button', { class: 'primary-button', testid: 'consent-approve', attrs: { type: 'button' } }, 'Approve');
    const decline = h('button', { class: 'danger-button', testid: 'consent-decline', attrs: { type: 'button' } }, 'Decline');
    const ready = view.you.adult && view.you.secondFactor;
    approve.disabled = decline.disabled = !ready;
    const prompt = !view.you.adult
      ? h('p', { class: 'form-error', testid: 'consent-not-adult', attrs: { role: 'alert' } }, 'Only an adult can be a guardian.')
      : !view.you.secondFactor
        ? h('div', { class: 'notice', testid: 'consent-2fa-prompt', attrs: { role: 'alert' } },
          h('p', null, 'Guardians need two-step sign-in, so that nobody who learns your password can answer for a child.'),
          h('p', null, 'Set up an authenticator app on your account page, sign in again with its code, then open this link again.'),
          h('a', { class: 'secondary-button', testid: 'consent-enrol', attrs: { href: '/account' } }, 'Set up two-step sign-in'))
        : null;
    const decide = (decision: 'approve' | 'decline', button: HTMLButtonElement): void => {
      error.textContent = '';
      void busy(button, () => guardians.decide(token, decision, dm.select.value as DirectMessages)).then((decided) => {
        status.textContent = decided.state === 'approved'
          ? `You approved ${view.minor.displayName}'s account. They can chat from their next sign-in.`
          : `You declined. ${view.minor.displayName}'s account stays read-only.`;
        replaceChildren(actions, h('a', { class: 'primary-button', testid: 'consent-my-minors', attrs: { href: '/account/guardian/minors' } }, 'My minors'));
      }, (failure: unknown) => {
        error.textContent = failure instanceof ApiError && refusals[failure.code] ? refusals[failure.code]! : failureText(failure, 'That did not work.');
      });
    };
    approve.addEventListener('click', () => decide('approve', approve));
    decline.addEventListener('click', () => decide('decline', decline));
    const actions = h('div', { class: 'button-row' }, approve, decline);
    replaceChildren(body,
      h('p', null, h('strong', { testid: 'consent-minor' }, view.minor.displayName), ` (${view.minor.userName}, age `,
        h('span', { testid: 'consent-age' }, String(view.minor.age)), ') named you as their parent or guardian.'),
      h('h2', { class: 'card-title' }, 'If you approve, the account may'),
      h('ul', { testid: 'consent-allowed' },
        h('li', null, 'read and write in public rooms, where moderation reads every message;'),
        h('li', null, 'receive private messages only as requests they accept or decline, from whom you choose below;'),
        h('li', null, `and you will see ${view.allowed.guardianSees}.`)),
      h('p', { class: 'muted small' }, 'You can change this or withdraw your consent at any time under My minors. This link works until ', when(view.expiresAt), '.'),
      dm.element, prompt, error, actions, status);
  }, (failure: unknown) => {
    if (failure instanceof ApiError && failure.status === 401) return; // the session ended: the keeper reports it
    replaceChildren(body, formError('consent-error',
      failure instanceof ApiError && refusals[failure.code] ? refusals[failure.code]! : failureText(failure, 'Could not open the request.')));
  });
  return shell;
}
