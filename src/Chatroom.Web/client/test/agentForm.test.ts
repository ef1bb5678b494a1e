import { describe, expect, it } from 'vitest';
import { agentErrorsOf, definitionFrom, fieldForPointer, fieldsFrom, groupErrors, numberOrText, splitList } from '../src/admin/agentForm';

describe('agent editor fields', () => {
  it('splits lists and keeps numbers that are not numbers as text for the server to judge', () => {
    expect(splitList(' a, b\nc,,a ')).toEqual(['a', 'b', 'c']);
    expect(numberOrText('')).toBeUndefined();
    expect(numberOrText(' 512 ')).toBe(512);
    expect(numberOrText('lots')).toBe('lots');
  });

  it('round-trips a definition and keeps properties the editor does not show', () => {
    const base = { name: 'helper', model: 'analysis' as const, limits: { maxTokens: 256, future: 1 }, triggers: { mention: true, keywords: ['help'] }, custom: 'kept' };
    const fields = fieldsFrom(base);
    expect(fields.keywords).toBe('help');
    expect(fields.maxTokens).toBe('256');
    const out = definitionFrom({ ...fields, maxTokens: '1024', rooms: 'lobby, help' }, base);
    expect(out).toMatchObject({ name: 'helper', model: 'analysis', custom: 'kept', rooms: ['lobby', 'help'], limits: { maxTokens: 1024, future: 1 }, enabled: true });
  });

  it('leaves out empty optional fields', () => {
    const out = definitionFrom(fieldsFrom(null), null);
    expect(out).toEqual({ model: 'reasoning', triggers: { mention: true, direct: false }, enabled: true });
  });
});

describe('schema errors beside their fields', () => {
  it('finds the nearest field for a JSON Pointer', () => {
    expect(fieldForPointer('/limits/maxTokens')).toBe('/limits/maxTokens');
    expect(fieldForPointer('/triggers/keywords/3')).toBe('/triggers/keywords');
    expect(fieldForPointer('/tools/0')).toBe('/tools');
    expect(fieldForPointer('/unknownThing')).toBeNull();
    expect(fieldForPointer('')).toBeNull();
  });

  it('groups errors by field and keeps the rest for the top of the form', () => {
    const groups = groupErrors([
      { path: '/limits/maxTokens', message: 'must be at most 8192' },
      { path: '/name', message: 'must match the pattern' },
      { path: '/colour', message: 'is not allowed' },
      { path: '', message: 'must be an object' },
    ]);
    expect(groups.get('/limits/maxTokens')).toEqual(['must be at most 8192']);
    expect(groups.get('/name')).toEqual(['must match the pattern']);
    expect(groups.get(null)).toEqual(['/colour: is not allowed', 'must be an object']);
  });

  it('reads errors from an invalid_agent problem', () => {
    expect(agentErrorsOf({ code: 'invalid_agent', errors: [{ path: '/name', message: 'bad' }, null, { message: 7 }] }))
      .toEqual([{ path: '/name', message: 'bad' }, { path: '', message: 'is not valid' }]);
    expect(agentErrorsOf(null)).toEqual([]);
  });
});
