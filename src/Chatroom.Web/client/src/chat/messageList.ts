import { h, renderRichText } from '../lib/dom';
import { dayKey, formatDay, formatFull, formatTime, hueFor, initial } from '../lib/format';
import type { AgentStream } from '../lib/agentStreams';
import type { ChatMessage, MessageKind } from '../types';
import type { PendingMessage } from './roomState';

export interface MessageListActions {
  retry(clientMessageId: string): void;
  discard(clientMessageId: string): void;
  /** The appeal action shown on your own hidden message. */
  appealAction?(messageId: number): HTMLElement;
  /** Message, Block and Report for someone else's message. */
  personActions?(message: ChatMessage): HTMLElement;
}

interface Cached {
  el: HTMLLIElement;
  hidden: boolean;
}

// Consecutive messages from one author within this window share one header.
const groupWindowMs = 5 * 60_000;

/**
 * The message log of the open room. Renders by keyed reconciliation: existing nodes are kept,
 * new ones inserted where they belong, so live messages and older pages do not rebuild the list.
 */
export class MessageListView {
  readonly list: HTMLOListElement;
  private readonly messages = new Map<number, Cached>();
  private readonly days = new Map<string, HTMLLIElement>();
  private readonly pending = new Map<string, { el: HTMLLIElement; status: string; error: string }>();
  private readonly streams = new Map<string, { el: HTMLLIElement; text: HTMLDivElement; shown: string }>();

  constructor(
    private readonly myUserId: string,
    private readonly actions: MessageListActions,
  ) {
    this.list = h('ol', { class: 'message-items', attrs: { 'aria-label': 'Messages' } });
  }

  /** Forget every node (another room is shown). */
  clear(): void {
    this.messages.clear();
    this.days.clear();
    this.pending.clear();
    this.streams.clear();
    this.list.replaceChildren();
  }

  render(messages: readonly ChatMessage[], pending: readonly PendingMessage[], streams: readonly AgentStream[] = []): void {
    const desired: HTMLLIElement[] = [];
    const liveIds = new Set<number>();
    const liveDays = new Set<string>();
    let previous: ChatMessage | null = null;

    for (const message of messages) {
      const day = dayKey(message.sentAt);
      if (previous === null || dayKey(previous.sentAt) !== day) {
        desired.push(this.daySeparator(day, message.sentAt));
        liveDays.add(day);
      }
      const el = this.messageElement(message);
      el.classList.toggle('continued', isContinuation(previous, message));
      desired.push(el);
      liveIds.add(message.id);
      previous = message;
    }

    const livePending = new Set<string>();
    for (const p of pending) {
      desired.push(this.pendingElement(p));
      livePending.add(p.clientMessageId);
    }

    const liveRuns = new Set<string>();
    for (const run of streams) {
      desired.push(this.streamElement(run));
      liveRuns.add(run.runId);
    }

    let cursor = this.list.firstChild;
    for (const el of desired) {
      if (el === cursor) cursor = cursor.nextSibling;
      else this.list.insertBefore(el, cursor);
    }
    while (cursor) {
      const next: ChildNode | null = cursor.nextSibling;
      cursor.remove();
      cursor = next;
    }

    for (const id of this.messages.keys()) if (!liveIds.has(id)) this.messages.delete(id);
    for (const key of this.days.keys()) if (!liveDays.has(key)) this.days.delete(key);
    for (const key of this.pending.keys()) if (!livePending.has(key)) this.pending.delete(key);
    for (const key of this.streams.keys()) if (!liveRuns.has(key)) this.streams.delete(key);
  }

  /** An agent reply still being written: one node per run, its text updated as deltas arrive. */
  private streamElement(run: AgentStream): HTMLLIElement {
    let cached = this.streams.get(run.runId);
    if (!cached) {
      const text = h('div', { class: 'msg-text', testid: 'message-text' });
      const avatar = h('span', { class: 'avatar', attrs: { 'aria-hidden': 'true' } }, initial(run.agent));
      avatar.style.setProperty('--hue', String(hueFor(run.agent)));
      const el = h('li', { class: 'msg kind-agent streaming', testid: 'agent-stream', dataset: { runId: run.runId, agent: run.agent }, attrs: { 'aria-busy': 'true' } },
        avatar,
        h('div', { class: 'msg-body' },
          h('div', { class: 'msg-meta' },
            h('span', { class: 'author', testid: 'message-author' }, run.agent),
            h('span', { class: 'badge badge-agent' }, 'agent'),
            h('span', { class: 'stream-status' }, 'writing…')),
          text));
      cached = { el, text, shown: '' };
      this.streams.set(run.runId, cached);
    }
    if (cached.shown !== run.text) {
      renderRichText(cached.text, run.text);
      cached.shown = run.text;
    }
    return cached.el;
  }

  private messageElement(message: ChatMessage): HTMLLIElement {
    const cached = this.messages.get(message.id);
    if (cached && cached.hidden === message.hidden) return cached.el;
    const own = message.authorId === this.myUserId;
    const el = buildMessage(message, own);
    if (own && message.hidden && message.kind === 'user' && this.actions.appealAction) {
      el.querySelector('.msg-body')?.append(this.actions.appealAction(message.id));
    }
    if (!own && message.kind === 'user' && !message.hidden && this.actions.personActions) {
      el.querySelector('.msg-meta')?.append(this.actions.personActions(message));
    }
    if (cached) cached.el.replaceWith(el);
    this.messages.set(message.id, { el, hidden: message.hidden });
    return el;
  }

  private daySeparator(day: string, iso: string): HTMLLIElement {
    let el = this.days.get(day);
    if (!el) {
      el = h('li', { class: 'day-separator', attrs: { role: 'separator' } }, h('span', null, formatDay(iso)));
      this.days.set(day, el);
    }
    return el;
  }

  private pendingElement(p: PendingMessage): HTMLLIElement {
    const error = p.error?.message ?? '';
    const cached = this.pending.get(p.clientMessageId);
    if (cached && cached.status === p.status && cached.error === error) return cached.el;

    const text = h('div', { class: 'msg-text' });
    renderRichText(text, p.text);
    const status =
      p.status === 'failed'
        ? h(
            'div',
            { class: 'msg-status failed' },
            h('span', null, `Not sent. ${error}`),
            h('button', { class: 'link-button', testid: 'retry-button', attrs: { type: 'button' }, on: { click: () => this.actions.retry(p.clientMessageId) } }, 'Retry'),
            h('button', { class: 'link-button', testid: 'discard-button', attrs: { type: 'button' }, on: { click: () => this.actions.discard(p.clientMessageId) } }, 'Discard'),
          )
        : h('div', { class: 'msg-status' }, p.status === 'sending' ? 'Sending…'
          : p.error && p.error.code !== 'disconnected' ? `Will send shortly. ${error}` : 'Waiting for connection…');
    const el = h(
      'li',
      {
        class: `msg own pending status-${p.status}`,
        testid: 'pending-message',
        dataset: { clientId: p.clientMessageId, status: p.status },
      },
      h('div', { class: 'msg-body' }, text, status),
    );
    if (cached) cached.el.replaceWith(el);
    this.pending.set(p.clientMessageId, { el, status: p.status, error });
    return el;
  }
}

function isContinuation(previous: ChatMessage | null, message: ChatMessage): boolean {
  if (previous === null || message.kind === 'system' || previous.kind === 'system') return false;
  if (previous.authorId !== message.authorId) return false;
  if (dayKey(previous.sentAt) !== dayKey(message.sentAt)) return false;
  return Date.parse(message.sentAt) - Date.parse(previous.sentAt) < groupWindowMs;
}

function buildMessage(message: ChatMessage, own: boolean): HTMLLIElement {
  const time = h('time', { attrs: { datetime: message.sentAt, title: formatFull(message.sentAt) } }, formatTime(message.sentAt));
  const text = h('div', { class: 'msg-text', testid: 'message-text' });
  if (message.hidden) {
    text.append(h('em', { class: 'hidden-note' }, 'message hidden by moderation'));
  } else {
    renderRichText(text, message.text);
  }

  const classes = ['msg', `kind-${message.kind}`];
  if (own) classes.push('own');
  if (message.hidden) classes.push('is-hidden');
  const props = {
    class: classes.join(' '),
    testid: 'message',
    dataset: { id: message.id, kind: message.kind, hidden: String(message.hidden) },
  };

  if (message.kind === 'system') {
    return h(
      'li',
      props,
      h('div', { class: 'msg-body' },
        h('div', { class: 'msg-meta' }, h('span', { class: 'badge badge-system' }, 'Announcement'), time),
        text),
    );
  }

  const avatar = h('span', { class: 'avatar', attrs: { 'aria-hidden': 'true' } }, initial(message.authorName));
  avatar.style.setProperty('--hue', String(hueFor(message.authorId)));
  return h(
    'li',
    props,
    avatar,
    h('div', { class: 'msg-body' },
      h('div', { class: 'msg-meta' },
        h('span', { class: 'author', testid: 'message-author' }, message.authorName),
        authorBadge(message.kind),
        time),
      text),
  );
}

/** The badge beside a non-human author's name, so nobody mistakes a program for a person. */
function authorBadge(kind: MessageKind): HTMLElement | null {
  switch (kind) {
    case 'agent':
      return h('span', { class: 'badge badge-agent' }, 'agent');
    case 'bot':
    case 'webhook':
    case 'bridge':
      return h('span', { class: 'badge badge-bot', testid: 'author-badge', attrs: { title: `posted by a ${kind}` } }, kind === 'bot' ? 'BOT' : kind);
    default:
      return null;
  }
}
