import { h } from '../lib/dom';

export interface ComposerOptions {
  maxLength: number;
  onSend(text: string): void;
  onTyping(): void;
}

/** Show the counter once the text is this close to the limit. */
const counterThreshold = 200;
const maxRows = 8;

/** The message box: Enter sends, Shift+Enter starts a new line, a counter near the limit. */
export class Composer {
  readonly form: HTMLFormElement;
  readonly input: HTMLTextAreaElement;
  readonly error: HTMLDivElement;
  private readonly counter: HTMLSpanElement;
  private readonly send: HTMLButtonElement;

  constructor(private readonly options: ComposerOptions) {
    this.input = h('textarea', {
      class: 'composer-input',
      testid: 'composer',
      attrs: { rows: 1, placeholder: 'Write a message…', 'aria-label': 'Message', autocomplete: 'off', enterkeyhint: 'send' },
      on: {
        keydown: (e) => this.onKeyDown(e),
        input: () => this.onInput(),
      },
    });
    this.counter = h('span', { class: 'char-counter', testid: 'char-counter', attrs: { 'aria-live': 'polite' } });
    this.send = h('button', { class: 'send-button', testid: 'send-button', attrs: { type: 'submit', disabled: true, 'aria-label': 'Send message' } }, 'Send');
    this.error = h('div', { class: 'composer-error', testid: 'composer-error', attrs: { role: 'alert' } });
    this.form = h(
      'form',
      { class: 'composer', testid: 'composer-form', on: { submit: (e) => { e.preventDefault(); this.submit(); } } },
      this.input,
      h('div', { class: 'composer-side' }, this.counter, this.send),
    );
    this.update();
  }

  focus(): void {
    this.input.focus();
  }

  setEnabled(enabled: boolean, placeholder?: string): void {
    this.input.disabled = !enabled;
    this.input.placeholder = placeholder ?? 'Write a message…';
    this.update();
  }

  showError(message: string | null): void {
    this.error.textContent = message ?? '';
    this.error.classList.toggle('visible', !!message);
  }

  private onKeyDown(e: KeyboardEvent): void {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      this.submit();
    } else if (e.key === 'Escape') {
      this.showError(null);
    }
  }

  private onInput(): void {
    this.update();
    if (this.input.value.trim().length > 0) this.options.onTyping();
  }

  private submit(): void {
    const text = this.input.value;
    if (text.trim().length === 0) return;
    if (text.length > this.options.maxLength) {
      this.showError(`Message too long: ${text.length.toLocaleString()} of ${this.options.maxLength.toLocaleString()} characters.`);
      return;
    }
    this.input.value = '';
    this.showError(null);
    this.update();
    this.options.onSend(text);
  }

  private update(): void {
    const length = this.input.value.length;
    const max = this.options.maxLength;
    const near = length >= max - counterThreshold;
    this.counter.textContent = near ? `${length.toLocaleString()} / ${max.toLocaleString()}` : '';
    this.counter.classList.toggle('over', length > max);
    this.send.disabled = this.input.disabled || this.input.value.trim().length === 0 || length > max;
    this.resize();
  }

  private resize(): void {
    const style = this.input.style;
    if (this.input.value === '' || !this.input.isConnected) {
      style.height = '';
      style.overflowY = 'hidden';
      return;
    }
    style.height = 'auto';
    const lineHeight = parseFloat(getComputedStyle(this.input).lineHeight) || 22;
    const max = lineHeight * maxRows + 16;
    style.height = `${Math.min(this.input.scrollHeight, max)}px`;
    style.overflowY = this.input.scrollHeight > max ? 'auto' : 'hidden';
  }
}
