import { describe, expect, it } from 'vitest';
import { backoffCodes, describe as describeCode, parseHubError, parseProblem, transientCodes, waitMs } from '../src/lib/errors';

const wrapped = (inner: string) =>
  new Error(`An unexpected error occurred invoking 'SendMessage' on the server. HubException: ${inner}`);

describe('parseHubError', () => {
  it('reads the code and sentence of a hub refusal', () => {
    expect(parseHubError(wrapped('rate_limited: wait 2 s'))).toEqual({
      code: 'rate_limited',
      message: 'Sending too fast: wait 2 s.',
    });
    expect(parseHubError(wrapped('text_too_long: at most 2000 characters.'))).toEqual({
      code: 'text_too_long',
      message: 'Message too long: at most 2000 characters.',
    });
  });

  it('reads a code with no sentence', () => {
    expect(parseHubError(wrapped('not_member'))).toEqual({ code: 'not_member', message: 'You are not in this room.' });
  });

  it('explains codes it has no title for with the server sentence', () => {
    expect(parseHubError(wrapped('some_future_code: the room is on fire'))).toEqual({
      code: 'some_future_code',
      message: 'The room is on fire.',
    });
    expect(parseHubError(wrapped('brand_new_code'))).toEqual({
      code: 'brand_new_code',
      message: 'Something went wrong (brand new code).',
    });
  });

  it('keeps colons inside the sentence', () => {
    expect(parseHubError(wrapped('slow_mode: one message every 10 s: wait 4 s')).message).toBe(
      'Slow mode is on: one message every 10 s: wait 4 s.',
    );
  });

  it('treats a dropped connection as transient', () => {
    for (const text of [
      'Invocation canceled due to the underlying connection being closed.',
      "Cannot send data if the connection is not in the 'Connected' State.",
      'WebSocket closed with status code: 1006 ().',
    ]) {
      const error = parseHubError(new Error(text));
      expect(error.code, text).toBe('disconnected');
      expect(transientCodes.has(error.code)).toBe(true);
    }
  });

  it('keeps a message refused for a full disk to send again, and says why', () => {
    const error = parseHubError(wrapped("storage_full: the server's disk is full; nothing was stored, try again later"));
    expect(error.code).toBe('storage_full');
    expect(error.message).toMatch(/^The server is out of disk space/);
    expect(transientCodes.has(error.code)).toBe(true);
  });

  it('copes with values that are not errors', () => {
    expect(parseHubError('HubException: banned: you are banned for 1 h').code).toBe('banned');
    expect(parseHubError(undefined).code).toBe('unknown');
  });
});

describe('parseProblem', () => {
  it('uses the stable code and detail of problem+json', () => {
    expect(parseProblem(400, { type: 'x', title: 'Bad', status: 400, detail: 'names are 1 to 32 characters', code: 'invalid_name' }))
      .toEqual({ code: 'invalid_name', message: 'Names are 1 to 32 characters: names are 1 to 32 characters.' });
  });

  it('derives a code from the status when the body has none', () => {
    expect(parseProblem(401, null).code).toBe('unauthorized');
    expect(parseProblem(503, 'oops').code).toBe('backend_unavailable');
    expect(parseProblem(0, null).code).toBe('network');
  });

  it('words a title without doubling full stops', () => {
    expect(describeCode('muted', 'for 30 s.')).toBe('You are muted in this room: for 30 s.');
  });
});

describe('waitMs', () => {
  it('reads how long a refusal asks to wait', () => {
    expect(waitMs(parseHubError(wrapped('rate_limited: wait 2 s')))).toBe(2000);
    expect(waitMs(parseHubError(wrapped('slow_mode: wait 1.5 s')))).toBe(1500);
    expect(waitMs(parseHubError(wrapped('rate_limited: wait 250 ms')))).toBe(250);
  });

  it('falls back when the refusal names no wait', () => {
    expect(waitMs(parseHubError(wrapped('rate_limited')), 1000)).toBe(1000);
  });

  it('holds and resends only refusals that clear by themselves', () => {
    expect(backoffCodes.has('rate_limited')).toBe(true);
    expect(backoffCodes.has('slow_mode')).toBe(true);
    expect(backoffCodes.has('muted')).toBe(false);
    expect(backoffCodes.has('text_too_long')).toBe(false);
  });
});
