import { linkify } from './linkify';

// Every element of the app is built here, and text only ever enters the DOM as text nodes or
// attribute values: there is deliberately no way to pass HTML.

export type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  testid?: string;
  attrs?: Record<string, string | number | boolean | null | undefined>;
  dataset?: Record<string, string | number>;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props) {
    if (props.class) el.className = props.class;
    if (props.testid) el.dataset.testid = props.testid;
    if (props.dataset) {
      for (const [key, value] of Object.entries(props.dataset)) el.dataset[key] = String(value);
    }
    if (props.attrs) {
      for (const [name, value] of Object.entries(props.attrs)) {
        if (value === null || value === undefined || value === false) continue;
        el.setAttribute(name, value === true ? '' : String(value));
      }
    }
    if (props.on) {
      for (const [type, handler] of Object.entries(props.on)) {
        el.addEventListener(type, handler as EventListener);
      }
    }
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of an element. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** Puts message text into an element as text nodes, with http(s) URLs as safe links. */
export function renderRichText(parent: Element, text: string): void {
  parent.replaceChildren();
  for (const segment of linkify(text)) {
    if (segment.kind === 'text') {
      parent.appendChild(document.createTextNode(segment.text));
    } else {
      const a = document.createElement('a');
      a.href = segment.href;
      a.textContent = segment.text;
      a.target = '_blank';
      a.rel = 'noopener noreferrer nofollow';
      parent.appendChild(a);
    }
  }
}
