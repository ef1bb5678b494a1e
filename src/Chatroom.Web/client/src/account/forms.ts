import { ApiError } from '../api';
import { h } from '../lib/dom';
import { fieldForCode, type FieldErrors } from './validation';

type InputAttrs = Record<string, string | number | boolean | null | undefined>;

/** A labelled input with its own error line (announced, and tied to the input by aria-describedby). */
export interface Field {
  readonly name: string;
  readonly input: HTMLInputElement;
  readonly error: HTMLElement;
  readonly element: HTMLElement;
}

export function field(name: string, id: string, label: string, attrs: InputAttrs = {}, hint?: string): Field {
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  const input = h('input', {
    class: 'text-input',
    testid: id,
    attrs: { id, name, type: 'text', spellcheck: 'false', 'aria-describedby': hintId ? `${hintId} ${errorId}` : errorId, ...attrs },
  });
  const error = h('p', { class: 'field-error', testid: `${id}-error`, attrs: { id: errorId, 'aria-live': 'polite' } });
  const element = h('div', { class: 'field' },
    h('label', { class: 'field-label', attrs: { for: id } }, label),
    input,
    hintId ? h('p', { class: 'hint muted small', attrs: { id: hintId } }, hint) : null,
    error);
  return { name, input, error, element };
}

/** The error line above (or below) a form, for what belongs to no single field. */
export function formError(testid: string, text = ''): HTMLElement {
  return h('p', { class: 'form-error', testid, attrs: { role: 'alert' } }, text);
}

/** The sentence for a failed call: the server's own when it answered, a plain one when it could not be reached. */
export function failureText(failure: unknown, fallback: string): string {
  return failure instanceof ApiError ? failure.message : failure instanceof Error && failure.message ? failure.message : fallback;
}

/**
 * Shows errors where they belong: next to their field (marked invalid, first one focused) or in the form's error
 * line. What was typed stays in the fields.
 */
export class FormErrors {
  constructor(private readonly fields: readonly Field[], private readonly general: HTMLElement) {}

  clear(): void {
    this.general.textContent = '';
    for (const f of this.fields) this.mark(f, '');
  }

  /** Client-side checks; true when there was nothing to show. */
  check(errors: FieldErrors): boolean {
    this.clear();
    let first: Field | null = null;
    for (const f of this.fields) {
      const message = errors[f.name];
      if (!message) continue;
      this.mark(f, message);
      first ??= f;
    }
    first?.input.focus();
    return first === null;
  }

  /** A server refusal (or a network failure). */
  fail(failure: unknown, fallback: string): void {
    this.clear();
    const text = failureText(failure, fallback);
    const name = failure instanceof ApiError ? fieldForCode(failure.code, this.fields.map((f) => f.name)) : null;
    const target = name ? this.fields.find((f) => f.name === name) : undefined;
    if (target) {
      this.mark(target, text);
      target.input.focus();
      target.input.select();
    } else {
      this.general.textContent = text;
      this.fields[0]?.input.focus();
    }
  }

  private mark(f: Field, message: string): void {
    f.error.textContent = message;
    if (message) f.input.setAttribute('aria-invalid', 'true');
    else f.input.removeAttribute('aria-invalid');
    f.element.classList.toggle('invalid', !!message);
  }
}

/** Runs `work` with the button busy; the button comes back whatever happens. */
export async function busy<T>(button: HTMLButtonElement, work: () => Promise<T>): Promise<T> {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

export interface ConfirmOptions {
  label: string;
  testid: string;
  /** Asked in place before anything happens. */
  question: string;
  confirmLabel: string;
  danger?: boolean;
  /** The action; what it resolves to is shown in `status` (a failure's sentence too). */
  run(): Promise<string | null>;
  status: HTMLElement;
}

/** A button that asks once more in place (confirm or cancel, Escape cancels) before it acts, then says what happened. */
export function confirmButton(options: ConfirmOptions): HTMLElement {
  const box = h('span', { class: 'confirm-box' });
  const start = h('button', { class: options.danger ? 'danger-button' : 'secondary-button', testid: options.testid, attrs: { type: 'button' } }, options.label);
  const idle = (): void => box.replaceChildren(start);
  start.addEventListener('click', () => {
    const yes = h('button', { class: options.danger ? 'danger-button' : 'primary-button', testid: `${options.testid}-confirm`, attrs: { type: 'button' } }, options.confirmLabel);
    const no = h('button', { class: 'ghost-button', testid: `${options.testid}-cancel`, attrs: { type: 'button' } }, 'Cancel');
    const question = h('span', { class: 'confirm-question', attrs: { role: 'alert' } }, options.question);
    no.addEventListener('click', () => {
      idle();
      start.focus();
    });
    box.addEventListener('keydown', function escape(e) {
      if (e.key !== 'Escape') return;
      box.removeEventListener('keydown', escape);
      idle();
      start.focus();
    });
    yes.addEventListener('click', () => {
      options.status.textContent = '';
      no.disabled = true;
      void busy(yes, () => options.run()).then((result) => {
        options.status.textContent = result ?? '';
      }, (failure: unknown) => {
        options.status.textContent = failureText(failure, 'That did not work.');
      }).finally(() => {
        if (!box.isConnected) return;
        // Focus comes back to the button unless the action moved it (to a field it found wrong).
        const lost = document.activeElement === document.body || box.contains(document.activeElement);
        idle();
        if (lost) start.focus();
      });
    });
    box.replaceChildren(question, yes, no);
    yes.focus();
  });
  idle();
  return box;
}

/** Saves text as a file the browser downloads (recovery codes, the account's data). */
export function downloadFile(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { attrs: { href: url, download: name, hidden: true } });
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export interface SingleFieldFormOptions<T> {
  field: Field;
  /** testid of the form's error line. */
  errorTestid: string;
  submitLabel: string;
  submitTestid: string;
  /** What is wrong with the value before it is sent, or null. */
  check(value: string): string | null;
  send(value: string): Promise<T>;
  done(result: T): void;
  /** Said when the server could not be reached. */
  failure: string;
}

/** A form of one field and a button: checked here, sent, and the refusal shown by the field (what was typed stays). */
export function singleFieldForm<T>(options: SingleFieldFormOptions<T>): HTMLFormElement {
  const general = formError(options.errorTestid);
  const errors = new FormErrors([options.field], general);
  const submit = h('button', { class: 'primary-button', testid: options.submitTestid, attrs: { type: 'submit' } }, options.submitLabel);
  return h('form', {
    class: 'account-form',
    attrs: { novalidate: true },
    on: {
      submit: (e) => {
        e.preventDefault();
        const value = options.field.input.value;
        const problem = options.check(value);
        if (!errors.check(problem ? { [options.field.name]: problem } : {})) return;
        void busy(submit, () => options.send(value)).then(options.done, (failure: unknown) => errors.fail(failure, options.failure));
      },
    },
  }, general, options.field.element, submit);
}
