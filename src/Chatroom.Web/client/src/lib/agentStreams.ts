import type { AgentDeltaEvent, ChatMessage } from '../types';

/** An agent reply being generated: the deltas of one run, joined. */
export interface AgentStream {
  runId: string;
  agent: string;
  text: string;
  startedAt: number;
  updatedAt: number;
}

/** A run that sends nothing for this long is dropped (the final message will still come by the log). */
export const staleStreamMs = 60_000;

/**
 * Agent replies streaming into one room, keyed by runId. The stored message of kind `agent` that
 * ends a run replaces its stream: matched by runId when the server puts it in clientMessageId,
 * else the oldest open run of that agent.
 */
export class AgentStreams {
  private readonly runs = new Map<string, AgentStream>();

  /** Adds a delta; returns the stream it belongs to. */
  add(event: AgentDeltaEvent, now: number): AgentStream {
    let run = this.runs.get(event.runId);
    if (!run) {
      run = { runId: event.runId, agent: event.agent, text: '', startedAt: now, updatedAt: now };
      this.runs.set(event.runId, run);
    }
    run.text += event.delta;
    run.updatedAt = now;
    return run;
  }

  /** A stored message arrived: ends the run it completes. Returns true when a stream was removed. */
  complete(message: ChatMessage): boolean {
    if (message.kind !== 'agent' || this.runs.size === 0) return false;
    // The server stores an agent's reply with clientMessageId "agent-<runId>".
    const runId = message.clientMessageId?.startsWith('agent-') ? message.clientMessageId.slice('agent-'.length) : message.clientMessageId;
    if (runId && this.runs.delete(runId)) return true;
    let oldest: AgentStream | null = null;
    for (const run of this.runs.values()) {
      if (run.agent.toLowerCase() !== message.authorName.toLowerCase()) continue;
      if (oldest === null || run.startedAt < oldest.startedAt) oldest = run;
    }
    return oldest !== null && this.runs.delete(oldest.runId);
  }

  /** Open runs, oldest first; runs silent for longer than `staleStreamMs` are dropped. */
  active(now: number): AgentStream[] {
    for (const [id, run] of this.runs) if (now - run.updatedAt > staleStreamMs) this.runs.delete(id);
    return [...this.runs.values()].sort((a, b) => a.startedAt - b.startedAt);
  }

  clear(): void {
    this.runs.clear();
  }
}
