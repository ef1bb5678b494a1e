import { ApiError } from '../api';
import { h, replaceChildren } from '../lib/dom';

/** Room names typed as a list (`builds, deploys` or one per line): trimmed, lower case, no blanks or repeats. */
export function parseRooms(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).map((r) => r.trim().toLowerCase()).filter((r) => r.length > 0))];
}

/** What a failed call says to an admin. */
export function failure(error: unknown): string {
  return error instanceof ApiError ? error.message : 'That did not work.';
}

/**
 * Where a token or secret is shown the one time the server sends it: with a copy button and the warning that it will
 * not be shown again; `clear()` takes it away (another page, another secret).
 */
export class SecretOnce {
  readonly element: HTMLElement;

  constructor(private readonly testid: string) {
    this.element = h('div', { class: 'secret-once', testid, attrs: { role: 'status', hidden: true } });
  }

  show(label: string, secret: string): void {
    const value = h('code', { class: 'secret-value', testid: `${this.testid}-value` }, secret);
    const copy = h('button', {
      class: 'ghost-button', attrs: { type: 'button' },
      on: { click: () => void navigator.clipboard?.writeText(secret).then(() => { copy.textContent = 'Copied'; }, () => undefined) },
    }, 'Copy');
    replaceChildren(this.element,
      h('strong', null, label),
      h('p', { class: 'small' }, 'Shown this once: store it now. Only its hash is kept, so it cannot be shown again (rotate for a new one).'),
      h('div', { class: 'inline-controls' }, value, copy),
      h('button', { class: 'ghost-button', attrs: { type: 'button' }, on: { click: () => this.clear() } }, 'Done'));
    this.element.hidden = false;
  }

  clear(): void {
    replaceChildren(this.element);
    this.element.hidden = true;
  }
}

/** A destructive button that asks once more in place (no browser dialog); `act` runs on the second click within 5 s. */
export function confirmButton(label: string, testid: string, act: () => void): HTMLButtonElement {
  let armed = false;
  const button = h('button', { class: 'danger-button', testid, attrs: { type: 'button' } }, label);
  button.addEventListener('click', () => {
    if (!armed) {
      armed = true;
      button.textContent = `Really ${label.toLowerCase()}?`;
      window.setTimeout(() => {
        armed = false;
        button.textContent = label;
      }, 5000);
      return;
    }
    act();
  });
  return button;
}
