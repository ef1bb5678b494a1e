// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src/api';
import { appealAction } from '../src/chat/appealForm';
import { MessageListView } from '../src/chat/messageList';
import { renderRichText } from '../src/lib/dom';
import { msg } from './fixtures';

describe('renderRichText', () => {
  it('renders markup in messages as inert text', () => {
    const el = document.createElement('div');
    renderRichText(el, '<img src=x onerror="alert(1)"><script>alert(2)</script>');
    expect(el.querySelector('img')).toBeNull();
    expect(el.querySelector('script')).toBeNull();
    expect(el.textContent).toBe('<img src=x onerror="alert(1)"><script>alert(2)</script>');
  });

  it('makes http(s) links that open safely in a new tab', () => {
    const el = document.createElement('div');
    renderRichText(el, 'docs at https://example.org/x and javascript:alert(1)');
    const links = el.querySelectorAll('a');
    expect(links).toHaveLength(1);
    const a = links[0]!;
    expect(a.getAttribute('href')).toBe('https://example.org/x');
    expect(a.target).toBe('_blank');
    expect(a.rel).toBe('noopener noreferrer nofollow');
    expect(el.textContent).toBe('docs at https://example.org/x and javascript:alert(1)');
  });
});

describe('MessageListView', () => {
  const actions = { retry: () => undefined, discard: () => undefined };

  it('shows a badge beside programs but not people', () => {
    const view = new MessageListView('u-me', actions);
    view.render([msg(1), msg(2, { kind: 'bot', authorId: 'bot_1', authorName: 'ci' }), msg(3, { kind: 'webhook', authorId: 'hook_1', authorName: 'alerts' })], []);
    expect(view.list.querySelector('[data-id="1"] [data-testid="author-badge"]')).toBeNull();
    expect(view.list.querySelector('[data-id="2"] [data-testid="author-badge"]')!.textContent).toBe('BOT');
    expect(view.list.querySelector('[data-id="3"] [data-testid="author-badge"]')!.textContent).toBe('webhook');
  });

  it('renders messages with ids, keeps nodes across renders and shows hidden ones as hidden', () => {
    const view = new MessageListView('u-me', actions);
    view.render([msg(1), msg(2, { text: '<b>bold?</b>' })], []);
    const first = view.list.querySelector('[data-id="1"]');
    expect(view.list.querySelectorAll('[data-testid="message"]')).toHaveLength(2);
    expect(view.list.querySelector('[data-id="2"] [data-testid="message-text"]')!.textContent).toBe('<b>bold?</b>');

    view.render([msg(0), msg(1), msg(2, { hidden: true }), msg(3)], []);
    const items = [...view.list.querySelectorAll<HTMLElement>('[data-testid="message"]')];
    expect(items.map((li) => li.dataset.id)).toEqual(['0', '1', '2', '3']);
    expect(view.list.querySelector('[data-id="1"]')).toBe(first);
    const hidden = view.list.querySelector('[data-id="2"]')!;
    expect(hidden.textContent).toContain('message hidden by moderation');
    expect(hidden.textContent).not.toContain('bold?');
  });

  it('styles system messages apart and groups consecutive messages of one author', () => {
    const view = new MessageListView('u-me', actions);
    view.render([msg(1), msg(2), msg(3, { kind: 'system', authorId: 'system', authorName: 'system', text: 'Maintenance at 5' })], []);
    expect(view.list.querySelector('[data-id="2"]')!.classList.contains('continued')).toBe(true);
    const system = view.list.querySelector('[data-id="3"]')!;
    expect(system.classList.contains('kind-system')).toBe(true);
    expect(system.classList.contains('continued')).toBe(false);
  });

  it('shows pending and failed sends after the stored messages', () => {
    const view = new MessageListView('u-me', actions);
    view.render([msg(1)], [
      { clientMessageId: 'c1', text: 'on its way', status: 'sending', error: null },
      { clientMessageId: 'c2', text: 'refused', status: 'failed', error: { code: 'muted', message: 'You are muted in this room.' } },
    ]);
    const pending = [...view.list.querySelectorAll<HTMLElement>('[data-testid="pending-message"]')];
    expect(pending.map((p) => p.dataset.status)).toEqual(['sending', 'failed']);
    expect(pending[1]!.querySelector('[data-testid="retry-button"]')).not.toBeNull();
    expect(view.list.lastElementChild).toBe(pending[1]);
  });
});

describe('appeals in the message list', () => {
  it('offers an appeal only on your own hidden messages, and sends the reason once', async () => {
    const sent: [number, string][] = [];
    const view = new MessageListView('u-me', {
      retry: () => undefined,
      discard: () => undefined,
      appealAction: (id) => appealAction(id, {
        status: () => Promise.reject(new ApiError(404, 'not_found', 'message 2 has no appeal')),
        appeal: (m, reason) => {
          sent.push([m, reason]);
          return Promise.resolve({ room: 'lobby', messageId: m, state: 'appealed', reason, at: '2026-12-07T08:00:00Z', outcome: null });
        },
      }),
    });
    view.render([msg(1, { authorId: 'u-me', hidden: true }), msg(2, { authorId: 'u-me' }), msg(3, { authorId: 'u-other', hidden: true })], []);

    expect(view.list.querySelectorAll('[data-testid="appeal-button"]')).toHaveLength(1);
    const own = view.list.querySelector('[data-id="1"]')!;
    own.querySelector<HTMLButtonElement>('[data-testid="appeal-button"]')!.click();
    await vi.waitFor(() => expect(own.querySelector<HTMLFormElement>('form')!.hidden).toBe(false));
    own.querySelector<HTMLInputElement>('[data-testid="appeal-reason-input"]')!.value = 'I was quoting someone.';
    own.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));

    await vi.waitFor(() => expect(own.querySelector('[data-testid="appeal-status"]')!.textContent).toBe('Appeal sent: a moderator will look at it.'));
    expect(sent).toEqual([[1, 'I was quoting someone.']]);
  });
});
