import { describe, expect, it } from 'vitest';
import { linkify, safeHref } from '../src/lib/linkify';

describe('linkify', () => {
  it('leaves plain text alone', () => {
    expect(linkify('hello there')).toEqual([{ kind: 'text', text: 'hello there' }]);
    expect(linkify('')).toEqual([]);
  });

  it('turns http and https URLs into links', () => {
    expect(linkify('see https://example.org/a?b=1#c and http://x.test')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.org/a?b=1#c', href: 'https://example.org/a?b=1#c' },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'http://x.test', href: 'http://x.test/' },
    ]);
  });

  it('never links other schemes', () => {
    for (const text of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(document.cookie)',
      'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'mailto:a@b.c',
    ]) {
      expect(linkify(text).every((s) => s.kind === 'text'), text).toBe(true);
    }
  });

  it('does not let a URL carry markup or quotes out of the link', () => {
    const segments = linkify('go https://evil.test/"><img src=x onerror=alert(1)> now');
    const link = segments.find((s) => s.kind === 'link');
    expect(link).toEqual({ kind: 'link', text: 'https://evil.test/', href: 'https://evil.test/' });
    expect(segments.map((s) => s.text).join('')).toBe('go https://evil.test/"><img src=x onerror=alert(1)> now');
  });

  it('drops trailing punctuation but keeps balanced brackets', () => {
    expect(linkify('(read https://en.wikipedia.org/wiki/Foo_(bar)).')[1]).toEqual({
      kind: 'link',
      text: 'https://en.wikipedia.org/wiki/Foo_(bar)',
      href: 'https://en.wikipedia.org/wiki/Foo_(bar)',
    });
    expect(linkify('Look: https://example.org/x, then stop.')[1]!.text).toBe('https://example.org/x');
  });

  it('accepts only well-formed http(s) hrefs', () => {
    expect(safeHref('https://example.org')).toBe('https://example.org/');
    expect(safeHref('https://')).toBeNull();
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('not a url')).toBeNull();
  });

  it('keeps every character of the original text', () => {
    const text = 'a https://a.test/x. b http://b.test) c';
    expect(linkify(text).map((s) => s.text).join('')).toBe(text);
  });
});
