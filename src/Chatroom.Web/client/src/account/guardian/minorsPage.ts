import { ApiError } from '../../api';
import { when } from '../../admin/widgets';
import { h, replaceChildren } from '../../lib/dom';
import { busy, confirmButton, failureText, formError } from '../forms';
import { directMessageChoices } from './claims';
import type { GuardianApi } from './guardianApi';
import { choice, guardianShell } from './shell';
import type { DirectMessages, GuardedMinor } from './types';

const stateText: Record<string, string> = {
  approved: 'Approved',
  revoked: 'Consent withdrawn (account disabled)',
};

/** /account/guardian/minors — the accounts this person approved: restrictions, safety events, revoking. */
export function minorsPage(guardians: GuardianApi, onSignOut: () => void): HTMLElement {
  const list = h('div', { testid: 'minors-list' }, h('p', { class: 'muted', attrs: { role: 'status' } }, 'Loading…'));
  const shell = guardianShell('guardian-minors', 'My minors', onSignOut, list);
  void guardians.minors().then((minors) => {
    if (minors.length === 0) {
      replaceChildren(list, h('p', { class: 'muted', testid: 'minors-empty' },
        'Nobody yet. When a child names your address, the email they send you has the link to approve their account.'));
      return;
    }
    replaceChildren(list, ...minors.map((minor) => minorCard(guardians, minor)));
  }, (failure: unknown) => {
    if (failure instanceof ApiError && failure.status === 401) return;
    replaceChildren(list, formError('minors-error', failureText(failure, 'Could not load your minors.')));
  });
  return shell;
}

function minorCard(guardians: GuardianApi, minor: GuardedMinor): HTMLElement {
  const status = h('p', { class: 'form-status', testid: 'minor-status', attrs: { role: 'status', 'aria-live': 'polite' } });
  const state = h('dd', { testid: 'minor-state' }, stateText[minor.state] ?? minor.state);
  const dm = choice(`minor-dm-${minor.id}`, 'Who may send a first private message', directMessageChoices, minor.directMessages);
  dm.select.dataset.testid = 'minor-dm';
  const save = h('button', { class: 'secondary-button', testid: 'minor-dm-save', attrs: { type: 'button' } }, 'Save');
  save.addEventListener('click', () => {
    status.textContent = '';
    void busy(save, () => guardians.restrict(minor.id, dm.select.value as DirectMessages)).then(
      () => (status.textContent = 'Saved.'),
      (failure: unknown) => (status.textContent = failureText(failure, 'Could not save.')));
  });
  const events = h('div', { testid: 'minor-events' });
  const showEvents = h('button', { class: 'ghost-button', testid: 'minor-events-show', attrs: { type: 'button' } }, 'Safety events');
  showEvents.addEventListener('click', () => {
    void busy(showEvents, () => guardians.events(minor.id)).then((found) => {
      replaceChildren(events, found.length === 0
        ? h('p', { class: 'muted' }, 'Nothing so far: no alerts and no moderator decisions about this account.')
        : h('ul', null, ...found.map((e) => h('li', { testid: 'minor-event' }, when(e.at),
          ` · ${e.kind === 'alert' ? 'Alert' : 'Moderator decision'}: ${e.action.replace(/_/g, ' ')}${e.room ? ` in ${e.room}` : ''} — ${e.summary}`))));
    }, (failure: unknown) => replaceChildren(events, formError('minor-events-error', failureText(failure, 'Could not load the events.'))));
  });
  const revoke = minor.state === 'approved'
    ? confirmButton({
      label: 'Withdraw consent', testid: 'minor-revoke', danger: true, confirmLabel: 'Withdraw and disable the account', status,
      question: `${minor.displayName} will be signed out everywhere at once and cannot sign in again.`,
      run: async () => {
        const after = await guardians.revoke(minor.id);
        state.textContent = stateText[after.state] ?? after.state;
        return 'Consent withdrawn: the account is disabled and signed out.';
      },
    })
    : null;
  return h('section', { class: 'card account-section', testid: 'minor-row', dataset: { userName: minor.userName } },
    h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, `${minor.displayName} (${minor.userName})`)),
    h('dl', { class: 'facts' },
      h('dt', null, 'Age'), h('dd', null, String(minor.age)),
      h('dt', null, 'State'), state,
      h('dt', null, 'Since'), h('dd', null, minor.decidedAt ? when(minor.decidedAt) : '—')),
    dm.element, h('div', { class: 'button-row' }, save, showEvents, revoke), status, events);
}
