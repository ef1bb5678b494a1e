import { ApiError } from '../api';
import { h, replaceChildren } from '../lib/dom';
import type { GuardianApi, GuardianSettings, GuardianSettingsValues } from './guardianApi';

/** The form's fields, as typed: the threshold may be empty (the configured or fitted one). */
export interface GuardianSettingsForm {
  threshold: string;
  windowMessages: string;
  windowAgeHours: string;
  maxNewMinorContacts: string;
  contactPeriodHours: string;
}

const whole = (text: string): number | null => (/^\s*\d+\s*$/.test(text) ? Number(text) : null);
const decimal = (text: string): number | null => (/^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : null);

/**
 * The form's values for the API, or the first sentence saying what is wrong (the same ranges the API checks, so the
 * admin hears about a typo before a round trip). Hours in the form, minutes on the wire.
 */
export function parseGuardianSettings(form: GuardianSettingsForm): GuardianSettingsValues | string {
  const threshold = form.threshold.trim() === '' ? null : decimal(form.threshold);
  if (form.threshold.trim() !== '' && (threshold === null || threshold > 1)) return 'The threshold is a number from 0 to 1, or empty for the fitted one.';
  const windowMessages = whole(form.windowMessages);
  if (windowMessages === null || windowMessages < 4 || windowMessages > 200) return 'A window holds 4 to 200 messages.';
  const windowAge = decimal(form.windowAgeHours);
  if (windowAge === null || windowAge * 60 < 10 || windowAge > 720) return 'A window reaches back 10 minutes to 30 days (720 hours).';
  const contacts = whole(form.maxNewMinorContacts);
  if (contacts === null || contacts < 2 || contacts > 1000) return 'New contacts with minors: 2 to 1000.';
  const period = decimal(form.contactPeriodHours);
  if (period === null || period * 60 < 10 || period > 720) return 'The contact period is 10 minutes to 30 days (720 hours).';
  return {
    threshold,
    windowMessages,
    windowAgeMinutes: Math.round(windowAge * 60),
    maxNewMinorContacts: contacts,
    contactPeriodMinutes: Math.round(period * 60),
  };
}

const hours = (minutes: number): string => String(Math.round((minutes / 60) * 100) / 100);

/**
 * The guardian agent's threshold and windows on the Guardian cases page (admins only): the analysis service applies a
 * saved change on its next look at a conversation; "Use configuration" removes the stored values.
 */
export class GuardianSettingsPanel {
  readonly element: HTMLElement;
  private readonly inputs: Record<keyof GuardianSettingsForm, HTMLInputElement>;
  private readonly source: HTMLElement;
  private readonly message: HTMLElement;
  private readonly buttons: HTMLButtonElement[];

  constructor(private readonly api: GuardianApi) {
    const input = (key: keyof GuardianSettingsForm, placeholder = ''): HTMLInputElement =>
      h('input', { class: 'text-input', testid: `guardian-setting-${key}`, attrs: { id: `guardian-setting-${key}`, inputmode: 'decimal', placeholder } });
    this.inputs = {
      threshold: input('threshold', 'fitted'),
      windowMessages: input('windowMessages'),
      windowAgeHours: input('windowAgeHours'),
      maxNewMinorContacts: input('maxNewMinorContacts'),
      contactPeriodHours: input('contactPeriodHours'),
    };
    const field = (key: keyof GuardianSettingsForm, label: string): HTMLElement =>
      h('label', { class: 'field', attrs: { for: `guardian-setting-${key}` } }, h('span', {}, label), this.inputs[key]);
    this.source = h('p', { class: 'muted small', testid: 'guardian-settings-source' });
    this.message = h('p', { class: 'form-error', testid: 'guardian-settings-message', attrs: { role: 'status' } });
    const save = h('button', { class: 'primary-button', testid: 'guardian-settings-save', attrs: { type: 'submit' } }, 'Save');
    const reset = h('button', {
      class: 'secondary-button', testid: 'guardian-settings-reset', attrs: { type: 'button' }, on: { click: () => void this.reset() },
    }, 'Use configuration');
    this.buttons = [save, reset];
    this.element = h('details', { class: 'card guardian-settings', testid: 'guardian-settings' },
      h('summary', {}, 'Agent settings'),
      h('form', { class: 'settings-form', on: { submit: (e) => { e.preventDefault(); void this.save(); } } },
        field('threshold', 'Score that opens a case (0–1)'),
        field('windowMessages', 'Window: latest messages'),
        field('windowAgeHours', 'Window: hours back'),
        field('maxNewMinorContacts', 'New contacts with minors before a case'),
        field('contactPeriodHours', '… within hours'),
        h('div', { class: 'button-row' }, save, reset),
        this.message, this.source));
  }

  async load(): Promise<void> {
    try {
      this.render(await this.api.settings());
    } catch (error) {
      this.message.textContent = error instanceof ApiError ? `Could not load the settings: ${error.message}` : 'Could not load the settings.';
    }
  }

  private render(settings: GuardianSettings): void {
    this.inputs.threshold.value = settings.threshold === null ? '' : String(settings.threshold);
    this.inputs.windowMessages.value = String(settings.windowMessages);
    this.inputs.windowAgeHours.value = hours(settings.windowAgeMinutes);
    this.inputs.maxNewMinorContacts.value = String(settings.maxNewMinorContacts);
    this.inputs.contactPeriodHours.value = hours(settings.contactPeriodMinutes);
    replaceChildren(this.source, settings.stored
      ? `Set by ${settings.updatedBy ?? 'an admin'}${settings.updatedAt ? ` on ${new Date(settings.updatedAt).toLocaleString()}` : ''}; applied on the agent's next look at a conversation.`
      : 'Not set here: the analysis service\'s Chatroom:Guardian configuration applies (built-in defaults shown).');
    this.element.dataset.stored = String(settings.stored);
  }

  private async save(): Promise<void> {
    const parsed = parseGuardianSettings({
      threshold: this.inputs.threshold.value,
      windowMessages: this.inputs.windowMessages.value,
      windowAgeHours: this.inputs.windowAgeHours.value,
      maxNewMinorContacts: this.inputs.maxNewMinorContacts.value,
      contactPeriodHours: this.inputs.contactPeriodHours.value,
    });
    if (typeof parsed === 'string') {
      this.message.textContent = parsed;
      return;
    }
    await this.submit(() => this.api.saveSettings(parsed), 'Saved.');
  }

  private reset(): Promise<void> {
    return this.submit(() => this.api.resetSettings(), 'Back to the configuration.');
  }

  private async submit(request: () => Promise<GuardianSettings>, done: string): Promise<void> {
    for (const b of this.buttons) b.disabled = true;
    this.message.textContent = '';
    try {
      this.render(await request());
      this.message.textContent = done;
    } catch (error) {
      this.message.textContent = error instanceof ApiError ? error.message : 'Could not save the settings.';
    } finally {
      for (const b of this.buttons) b.disabled = false;
    }
  }
}
