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

/** Checkboxes for a fixed set of values (scopes, event types); `selected()` lists the checked ones in their order. */
export function checkboxGroup<T extends string>(legend: string, values: readonly T[], testid: (value: T) => string, checked: (value: T) => boolean):
  { element: HTMLFieldSetElement; selected: () => T[] } {
  const boxes = values.map((value) => [value, h('input', { testid: testid(value), attrs: { type: 'checkbox', checked: checked(value) } })] as const);
  return {
    element: h('fieldset', null, h('legend', null, legend), ...boxes.map(([value, box]) => h('label', { class: 'inline-controls' }, box, value))),
    selected: () => boxes.filter(([, box]) => box.checked).map(([value]) => value),
  };
}

/**
 * The shape the Bots and Webhooks pages share: a title and a note, the secret shown once, a create form, a status line
 * and a table of what exists, refetched when the page is shown; leaving the page takes the secret off the screen.
 */
export abstract class IntegrationPage<T> {
  readonly element: HTMLElement;
  protected readonly secret: SecretOnce;
  protected readonly status: HTMLParagraphElement;
  private readonly body: HTMLTableSectionElement;
  private readonly empty: string;

  protected constructor(
    options: { testid: string; title: string; note: string; secretTestid: string; headers: readonly string[]; empty: string },
    form: HTMLElement,
    ...after: HTMLElement[]
  ) {
    this.secret = new SecretOnce(options.secretTestid);
    this.status = h('p', { class: 'muted', testid: `${options.testid}-status`, attrs: { role: 'status' } });
    this.body = h('tbody');
    this.empty = options.empty;
    this.element = h('div', { class: 'admin-page', testid: options.testid },
      h('div', { class: 'page-head' },
        h('h1', { class: 'page-title' }, options.title),
        h('button', { class: 'ghost-button', attrs: { type: 'button' }, on: { click: () => void this.refresh() } }, 'Refresh')),
      h('p', { class: 'muted' }, options.note),
      this.secret.element,
      form,
      this.status,
      h('div', { class: 'table-wrap card' }, h('table', { class: 'table' },
        h('thead', null, h('tr', null, ...options.headers.map((name) => h('th', null, name)))),
        this.body)),
      ...after);
  }

  show(): void {
    void this.refresh();
  }

  hide(): void {
    this.secret.clear();
  }

  async refresh(): Promise<void> {
    try {
      const items = await this.load();
      replaceChildren(this.body, ...items.map((item) => this.row(item)));
      this.status.textContent = items.length === 0 ? this.empty : '';
      await this.loaded(items);
    } catch (error) {
      this.status.textContent = `Could not load: ${failure(error)}`;
    }
  }

  protected abstract load(): Promise<T[]>;

  protected abstract row(item: T): HTMLElement;

  /** After each refresh, with what was loaded. */
  protected loaded(_items: T[]): Promise<void> {
    return Promise.resolve();
  }

  protected fail = (error: unknown): void => {
    this.status.textContent = failure(error);
  };
}
