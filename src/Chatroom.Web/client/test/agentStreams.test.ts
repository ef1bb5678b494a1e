import { describe, expect, it } from 'vitest';
import { AgentStreams, staleStreamMs } from '../src/lib/agentStreams';
import { msg } from './fixtures';

const delta = (runId: string, text: string, agent = 'assistant') => ({ room: 'lobby', agent, runId, delta: text });

describe('AgentStreams', () => {
  it('joins the deltas of one run in order', () => {
    const streams = new AgentStreams();
    streams.add(delta('r1', 'Hel'), 1);
    streams.add(delta('r1', 'lo!'), 2);
    expect(streams.active(3).map((s) => s.text)).toEqual(['Hello!']);
  });

  it('keeps runs apart and lists them oldest first', () => {
    const streams = new AgentStreams();
    streams.add(delta('r2', 'b', 'concierge'), 5);
    streams.add(delta('r1', 'a'), 1);
    expect(streams.active(6).map((s) => s.runId)).toEqual(['r1', 'r2']);
  });

  it('ends a run when its final message arrives, by runId in clientMessageId', () => {
    const streams = new AgentStreams();
    streams.add(delta('r1', 'a'), 1);
    streams.add(delta('r2', 'b'), 2);
    expect(streams.complete(msg(9, { kind: 'agent', authorName: 'assistant', clientMessageId: 'r2' }))).toBe(true);
    expect(streams.active(3).map((s) => s.runId)).toEqual(['r1']);
  });

  it('reads the runId from the server\'s "agent-<runId>" clientMessageId', () => {
    const streams = new AgentStreams();
    streams.add(delta('r1', 'a'), 1);
    streams.add(delta('r2', 'b'), 2);
    expect(streams.complete(msg(9, { kind: 'agent', authorName: 'assistant', clientMessageId: 'agent-r1' }))).toBe(true);
    expect(streams.active(3).map((s) => s.runId)).toEqual(['r2']);
  });

  it('otherwise ends the oldest run of that agent', () => {
    const streams = new AgentStreams();
    streams.add(delta('r1', 'a', 'assistant'), 1);
    streams.add(delta('r2', 'b', 'concierge'), 2);
    expect(streams.complete(msg(9, { kind: 'agent', authorName: 'Concierge' }))).toBe(true);
    expect(streams.active(3).map((s) => s.runId)).toEqual(['r1']);
  });

  it('ignores people\'s messages and drops runs that went silent', () => {
    const streams = new AgentStreams();
    streams.add(delta('r1', 'a'), 0);
    expect(streams.complete(msg(9, { kind: 'user', authorName: 'assistant' }))).toBe(false);
    expect(streams.active(staleStreamMs + 1)).toEqual([]);
  });
});
