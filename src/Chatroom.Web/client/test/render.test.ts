// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
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
