import { h } from '../../lib/dom';

/** The frame of the guardian pages: the account page's top bar, a title and the page's body. */
export function guardianShell(testid: string, title: string, onSignOut: () => void, ...body: HTMLElement[]): HTMLElement {
  const topbar = h('header', { class: 'topbar' },
    h('div', { class: 'brand' }, h('span', { class: 'brand-mark', attrs: { 'aria-hidden': 'true' } }, '●'), 'Chatroom ', h('span', { class: 'muted' }, 'guardian')),
    h('a', { class: 'ghost-button', attrs: { href: '/account' } }, 'Your account'),
    h('a', { class: 'ghost-button', testid: 'back-to-chat', attrs: { href: '/' } }, 'Back to chat'),
    h('button', { class: 'ghost-button', attrs: { type: 'button' }, on: { click: onSignOut } }, 'Sign out'));
  const main = h('main', { class: 'account-main', testid, attrs: { id: 'account-main', tabindex: -1 } }, h('h1', { class: 'page-title' }, title), ...body);
  return h('div', { class: 'app account' }, topbar, main);
}

/** A select of fixed choices, labelled, with a testid. */
export function choice(id: string, label: string, options: readonly { value: string; label: string }[], selected: string): { element: HTMLElement; select: HTMLSelectElement } {
  const select = h('select', { class: 'text-input', testid: id, attrs: { id } },
    ...options.map((o) => h('option', { attrs: { value: o.value, selected: o.value === selected } }, o.label)));
  return { element: h('div', { class: 'field' }, h('label', { class: 'field-label', attrs: { for: id } }, label), select), select };
}
