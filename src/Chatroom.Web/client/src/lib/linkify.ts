/** A piece of message text: plain text, or a link that is safe to put in an href. */
export type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'link'; text: string; href: string };

// Only explicit http(s) URLs become links; anything else (javascript:, data:, mailto:…) stays text.
const urlPattern = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const trailingPunctuation = /[.,;:!?'"*_~]+$/;

/** Splits text into text and link segments. Never produces HTML. */
export function linkify(text: string): Segment[] {
  const segments: Segment[] = [];
  let cursor = 0;
  for (const match of text.matchAll(urlPattern)) {
    const start = match.index;
    const candidate = trimUrl(match[0]);
    const href = safeHref(candidate);
    if (href === null) continue;
    if (start > cursor) segments.push({ kind: 'text', text: text.slice(cursor, start) });
    segments.push({ kind: 'link', text: candidate, href });
    cursor = start + candidate.length;
  }
  if (cursor < text.length) segments.push({ kind: 'text', text: text.slice(cursor) });
  return segments;
}

/** The normalised href for an http(s) URL, or null when it is anything else. */
export function safeHref(candidate: string): string | null {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.hostname === '') return null;
  return url.href;
}

function trimUrl(raw: string): string {
  let url = raw.replace(trailingPunctuation, '');
  // Keep a closing bracket only when the URL opened one: "(see https://x.org/a_(b))".
  for (const [open, close] of [['(', ')'], ['[', ']'], ['{', '}']] as const) {
    while (url.endsWith(close) && count(url, close) > count(url, open)) {
      url = url.slice(0, -1).replace(trailingPunctuation, '');
    }
  }
  return url;
}

function count(text: string, ch: string): number {
  let n = 0;
  for (const c of text) if (c === ch) n++;
  return n;
}
