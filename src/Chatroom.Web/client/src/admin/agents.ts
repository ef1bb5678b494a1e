import { ApiError } from '../api';
import { h, replaceChildren } from '../lib/dom';
import type { AdminApi } from './adminApi';
import { agentErrorsOf, agentTools, definitionFrom, fieldsFrom, groupErrors, type AgentFields, type FieldPointer } from './agentForm';
import type { AdminPage } from './page';
import type { AgentDefinition } from './types';

type Input = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/**
 * Agents: the definitions, an editor whose schema errors (JSON Pointers from the server) appear
 * beside their fields, and a panel for the agent's live event feed.
 */
export class AgentsPage implements AdminPage {
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly form: HTMLFormElement;
  private readonly title: HTMLHeadingElement;
  private readonly formErrors: HTMLUListElement;
  private readonly status: HTMLParagraphElement;
  private readonly deleteButton: HTMLButtonElement;
  private readonly inputs = new Map<keyof AgentFields, Input>();
  private readonly toolBoxes = new Map<string, HTMLInputElement>();
  private readonly errorSlots = new Map<FieldPointer, HTMLElement>();
  private readonly feed: HTMLElement;
  private agents: AgentDefinition[] = [];
  private events: EventSource | null = null;
  /** The definition being edited as last loaded (null = a new agent). */
  private editing: AgentDefinition | null = null;

  constructor(private readonly api: AdminApi) {
    this.list = h('ul', { class: 'agent-list', testid: 'agent-list' });
    this.title = h('h2', { class: 'card-title', testid: 'agent-editor-title' }, 'New agent');
    this.formErrors = h('ul', { class: 'form-errors', testid: 'agent-errors', attrs: { role: 'alert' } });
    this.status = h('p', { class: 'form-status', testid: 'agent-status', attrs: { role: 'status' } });
    this.deleteButton = h('button', { class: 'danger-button', testid: 'agent-delete', attrs: { type: 'button' }, on: { click: () => void this.remove() } }, 'Delete');

    const text = (key: keyof AgentFields, pointer: FieldPointer, label: string, attrs: Record<string, string | number> = {}, hint = ''): HTMLElement =>
      this.field(key, pointer, label, h('input', { class: 'text-input', attrs: { ...attrs } }), hint);
    const area = (key: keyof AgentFields, pointer: FieldPointer, label: string, rows: number, hint = ''): HTMLElement =>
      this.field(key, pointer, label, h('textarea', { class: 'text-input', attrs: { rows } }), hint);
    const check = (key: keyof AgentFields, pointer: FieldPointer, label: string): HTMLElement => {
      const box = h('input', { attrs: { type: 'checkbox' } });
      this.inputs.set(key, box);
      box.dataset.testid = `agent-${key}`;
      return h('div', { class: 'field check' }, h('label', null, box, ` ${label}`), this.errorSlot(pointer));
    };
    const model = h('select', { class: 'select' }, h('option', { attrs: { value: 'reasoning' } }, 'reasoning (large model)'), h('option', { attrs: { value: 'analysis' } }, 'analysis (small, fast model)'));
    const tools = h('div', { class: 'checks' }, ...agentTools.map((tool) => {
      const box = h('input', { attrs: { type: 'checkbox', value: tool } });
      this.toolBoxes.set(tool, box);
      return h('label', { class: 'check-item' }, box, ` ${tool.replace(/_/g, ' ')}`);
    }));

    this.form = h('form', { class: 'agent-form', testid: 'agent-form', attrs: { novalidate: true }, on: { submit: (e) => { e.preventDefault(); void this.save(); } } },
      this.formErrors,
      h('div', { class: 'form-grid' },
        text('name', '/name', 'Name', { placeholder: 'e.g. librarian', spellcheck: 'false', autocomplete: 'off' }, 'Lower-case; people mention it as @name.'),
        this.field('model', '/model', 'Model', model),
        text('description', '/description', 'Description', {}, 'One line for people choosing an agent.')),
      area('persona', '/persona', 'Persona (system prompt)', 5),
      h('fieldset', { class: 'fieldset' }, h('legend', null, 'Triggers'),
        h('div', { class: 'form-grid' },
          check('mention', '/triggers/mention', 'Answer when mentioned as @name'),
          check('direct', '/triggers/direct', 'Answer every message in a one-to-one room')),
        text('keywords', '/triggers/keywords', 'Keywords', { placeholder: 'comma separated' }),
        text('intent', '/triggers/intent', 'Intent', {}, 'Requests this agent should take (routing by the analysis model).')),
      h('div', { class: 'form-grid' },
        text('rooms', '/rooms', 'Rooms', { placeholder: 'comma separated; empty = every room' }),
        h('div', { class: 'field' }, h('span', { class: 'field-label' }, 'Tools'), tools, this.errorSlot('/tools'))),
      h('fieldset', { class: 'fieldset' }, h('legend', null, 'Limits'),
        h('div', { class: 'form-grid four' },
          text('maxTokens', '/limits/maxTokens', 'Max tokens', { inputmode: 'numeric', placeholder: '512' }),
          text('maxTurns', '/limits/maxTurns', 'Max turns', { inputmode: 'numeric', placeholder: '3' }),
          text('repliesPerMinute', '/limits/repliesPerMinute', 'Replies / min', { inputmode: 'numeric', placeholder: '6' }),
          text('temperature', '/temperature', 'Temperature', { inputmode: 'decimal', placeholder: '0.7' }))),
      check('enabled', '/enabled', 'Enabled'),
      h('div', { class: 'button-row' },
        h('button', { class: 'primary-button', testid: 'agent-save', attrs: { type: 'submit' } }, 'Save'),
        this.deleteButton,
        this.status));

    this.feed = h('div', { class: 'agent-feed', testid: 'agent-feed' },
      h('p', { class: 'muted' }, 'Choose an agent to follow its runs live: trigger, prompt size, tool calls with arguments and results, tokens, latency, errors.'));

    this.element = h('div', { class: 'admin-page', testid: 'agents' },
      h('div', { class: 'page-head' },
        h('h1', { class: 'page-title' }, 'Agents'),
        h('button', { class: 'secondary-button', testid: 'agent-new', attrs: { type: 'button' }, on: { click: () => this.edit(null) } }, 'New agent')),
      // Chat users are only told that generation is off; the configuration it takes is said here, to admins.
      h('p', { class: 'muted small', testid: 'agent-model-hint' },
        'Agents write replies with the reasoning model: set ConnectionStrings__reasoning-model on the analysis service ' +
        '(and ConnectionStrings__analysis-model for model moderation). Without it they answer "Text generation is not configured" ' +
        'and only run their commands (create and list rooms, summarise, watch topics, search the knowledge base).'),
      h('div', { class: 'agents-layout' },
        h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, 'Definitions')), this.list),
        h('section', { class: 'card' }, h('div', { class: 'card-head' }, this.title), this.form),
        h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, 'Live event feed')), this.feed)));
    this.edit(null);
  }

  show(): void {
    void this.refresh();
  }

  hide(): void {
    this.follow(null);
  }

  /** Streams the agent's run events into the feed panel (newest first, the last 100). */
  private follow(agent: string | null): void {
    this.events?.close();
    this.events = null;
    replaceChildren(this.feed, h('p', { class: 'muted' }, agent ? `Waiting for @${agent} to run…` : 'Choose an agent to follow its runs live.'));
    if (agent === null) return;
    this.open(agent);
  }

  /** Opens the agent's event stream with the current access token (which is in its URL). */
  private open(agent: string): void {
    const url = this.api.agentEventsUrl(agent);
    const source = new EventSource(url);
    source.addEventListener('error', () => {
      // EventSource reconnects by itself, but with the URL it was given: once the server refuses that token (it
      // expired; the session renewed it well before) it gives up. Reopen with the current token, keeping the feed
      // shown; the same URL again would only be refused again (e.g. the agent was deleted).
      if (source.readyState !== EventSource.CLOSED || this.events !== source) return;
      window.setTimeout(() => {
        if (this.events === source && this.api.agentEventsUrl(agent) !== url) this.open(agent);
      }, 2000);
    });
    source.addEventListener('connected', () => {
      if (this.feed.firstElementChild?.classList.contains('muted')) {
        replaceChildren(this.feed, h('p', { class: 'muted' }, `Following @${agent} live: its next run shows here.`));
      }
    });
    const kinds = ['trigger', 'prompt', 'tool', 'tokens', 'reply', 'refused', 'error'];
    for (const kind of kinds) {
      source.addEventListener(kind, (event) => {
        const data = JSON.parse((event as MessageEvent<string>).data) as { at: string; room: string | null; data: unknown };
        if (this.feed.firstElementChild?.classList.contains('muted')) replaceChildren(this.feed);
        const line = h('div', { class: `agent-event agent-event-${kind}`, testid: 'agent-event' },
          h('span', { class: 'agent-event-time' }, new Date(data.at).toLocaleTimeString()),
          h('span', { class: 'agent-event-kind' }, kind),
          h('span', { class: 'agent-event-room' }, data.room ? `#${data.room}` : ''),
          h('code', { class: 'agent-event-data' }, JSON.stringify(data.data)));
        this.feed.prepend(line);
        while (this.feed.childElementCount > 100) this.feed.lastElementChild?.remove();
      });
    }
    this.events = source;
  }

  private field(key: keyof AgentFields, pointer: FieldPointer, label: string, input: Input, hint = ''): HTMLElement {
    const id = `agent-field-${key}`;
    input.id = id;
    input.dataset.testid = `agent-${key}`;
    this.inputs.set(key, input);
    const slot = this.errorSlot(pointer);
    input.setAttribute('aria-describedby', `${id}-error`);
    slot.id = `${id}-error`;
    return h('div', { class: 'field' }, h('label', { class: 'field-label', attrs: { for: id } }, label), input, hint ? h('span', { class: 'hint' }, hint) : null, slot);
  }

  private errorSlot(pointer: FieldPointer): HTMLElement {
    const slot = h('span', { class: 'field-error', testid: 'field-error', dataset: { field: pointer } });
    this.errorSlots.set(pointer, slot);
    return slot;
  }

  private async refresh(): Promise<void> {
    try {
      this.agents = await this.api.agents();
      this.renderList();
    } catch (error) {
      replaceChildren(this.list, h('li', { class: 'muted' }, error instanceof ApiError ? `Could not load agents: ${error.message}` : 'Could not load agents.'));
    }
  }

  private renderList(): void {
    const items = [...this.agents].sort((a, b) => a.name.localeCompare(b.name)).map((agent) =>
      h('li', null, h('button', {
        class: `agent-item${this.editing?.name === agent.name ? ' active' : ''}`,
        testid: 'agent-item',
        dataset: { agent: agent.name },
        attrs: { type: 'button', 'aria-current': this.editing?.name === agent.name ? 'true' : null },
        on: { click: () => this.edit(agent) },
      },
      h('span', { class: 'agent-name' }, `@${agent.name}`),
      agent.enabled === false ? h('span', { class: 'pill' }, 'off') : null,
      h('span', { class: 'muted small agent-desc' }, agent.description ?? ''))));
    if (items.length === 0) items.push(h('li', { class: 'muted' }, 'No agents yet.'));
    replaceChildren(this.list, ...items);
  }

  private edit(agent: AgentDefinition | null): void {
    this.editing = agent;
    this.title.textContent = agent ? `Edit @${agent.name}` : 'New agent';
    this.deleteButton.hidden = agent === null;
    const fields = fieldsFrom(agent);
    for (const [key, input] of this.inputs) {
      const value = fields[key];
      if (input instanceof HTMLInputElement && input.type === 'checkbox') input.checked = Boolean(value);
      else input.value = String(value);
    }
    (this.inputs.get('name') as HTMLInputElement).readOnly = agent !== null;
    for (const [tool, box] of this.toolBoxes) box.checked = fields.tools.includes(tool);
    this.showErrors([]);
    this.status.textContent = '';
    this.renderList();
    this.follow(agent?.name ?? null);
  }

  private readFields(): AgentFields {
    const value = (key: keyof AgentFields): string => this.inputs.get(key)!.value;
    const checked = (key: keyof AgentFields): boolean => (this.inputs.get(key) as HTMLInputElement).checked;
    return {
      name: value('name'), description: value('description'), persona: value('persona'), model: value('model'),
      mention: checked('mention'), keywords: value('keywords'), direct: checked('direct'), intent: value('intent'),
      rooms: value('rooms'), tools: [...this.toolBoxes].filter(([, b]) => b.checked).map(([t]) => t),
      maxTokens: value('maxTokens'), maxTurns: value('maxTurns'), repliesPerMinute: value('repliesPerMinute'),
      temperature: value('temperature'), enabled: checked('enabled'),
    };
  }

  private async save(): Promise<void> {
    const fields = this.readFields();
    const definition = definitionFrom(fields, this.editing);
    this.status.textContent = 'Saving…';
    try {
      const saved = this.editing
        ? await this.api.saveAgent(this.editing.name, definition)
        : await this.api.createAgent(definition);
      this.showErrors([]);
      this.status.textContent = `Saved @${saved.name}.`;
      await this.refresh();
      const fresh = this.agents.find((a) => a.name === saved.name) ?? saved;
      this.editing = fresh;
      this.title.textContent = `Edit @${fresh.name}`;
      this.deleteButton.hidden = false;
      (this.inputs.get('name') as HTMLInputElement).readOnly = true;
      this.renderList();
    } catch (error) {
      this.status.textContent = '';
      if (error instanceof ApiError && error.code === 'invalid_agent') {
        const errors = agentErrorsOf(error.problem);
        this.showErrors(errors.length > 0 ? errors : [{ path: '', message: error.message }]);
      } else {
        this.showErrors([{ path: '', message: error instanceof ApiError ? error.message : 'Could not save the agent.' }]);
      }
    }
  }

  private async remove(): Promise<void> {
    const agent = this.editing;
    if (!agent) return;
    try {
      await this.api.deleteAgent(agent.name);
      this.status.textContent = `Deleted @${agent.name}.`;
      this.edit(null);
      await this.refresh();
    } catch (error) {
      this.showErrors([{ path: '', message: error instanceof ApiError ? error.message : 'Could not delete the agent.' }]);
    }
  }

  private showErrors(errors: readonly { path: string; message: string }[]): void {
    const groups = groupErrors(errors);
    for (const [pointer, slot] of this.errorSlots) {
      const messages = groups.get(pointer) ?? [];
      slot.textContent = messages.join(' ');
      slot.closest('.field')?.classList.toggle('invalid', messages.length > 0);
    }
    const general = groups.get(null) ?? [];
    replaceChildren(this.formErrors, ...general.map((m) => h('li', null, m)));
    const first = this.form.querySelector<HTMLElement>('.field.invalid input, .field.invalid textarea, .field.invalid select');
    first?.focus();
  }
}
