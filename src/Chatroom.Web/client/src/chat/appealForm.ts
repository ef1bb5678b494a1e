import { ApiError } from '../api';
import { h } from '../lib/dom';
import type { AppealView } from '../types';

export interface AppealCalls {
  appeal(id: number, reason: string): Promise<AppealView>;
  status(id: number): Promise<AppealView>;
}

const maxReasonLength = 1000;
const stateText: Readonly<Record<string, string>> = {
  appealed: 'Appeal sent: a moderator will look at it.',
  restored: 'Your appeal was granted: the message is shown again.',
  upheld: 'Your appeal was turned down.',
  approved: 'A moderator approved the message.',
};

/**
 * The "Appeal" action on your own hidden message: it first asks whether you appealed already (a message is appealed
 * once), then offers a reason field.
 */
export function appealAction(id: number, calls: AppealCalls): HTMLElement {
  const status = h('span', { class: 'small muted', testid: 'appeal-status', attrs: { role: 'status' } });
  const reason = h('input', { class: 'text-input', testid: 'appeal-reason-input', attrs: { maxlength: maxReasonLength, placeholder: 'Why should it be shown again?', 'aria-label': 'Reason for your appeal' } });
  const send = h('button', { class: 'secondary-button', testid: 'appeal-send', attrs: { type: 'submit' } }, 'Send appeal');
  const form = h('form', { class: 'appeal-form', attrs: { hidden: true } }, reason, send);
  const show = (view: AppealView): void => {
    form.hidden = true;
    open.hidden = true;
    status.textContent = `${stateText[view.state] ?? view.state}${view.outcome ? ` (${view.outcome})` : ''}`;
  };
  const fail = (error: unknown): void => {
    status.textContent = error instanceof ApiError ? error.message : 'Could not send the appeal.';
    status.className = 'small danger';
  };
  const open = h('button', {
    class: 'link-button', testid: 'appeal-button', attrs: { type: 'button' },
    on: {
      click: () => calls.status(id).then(show, (error: unknown) => {
        if (error instanceof ApiError && error.code === 'not_found') {
          open.hidden = true;
          form.hidden = false;
          reason.focus();
        } else {
          fail(error);
        }
      }),
    },
  }, 'Appeal');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const why = reason.value.trim();
    if (!why) {
      reason.focus();
      return;
    }
    send.disabled = true;
    calls.appeal(id, why).then(show, (error: unknown) => {
      send.disabled = false;
      fail(error);
    });
  });
  return h('div', { class: 'msg-appeal', testid: 'appeal' }, open, form, status);
}
