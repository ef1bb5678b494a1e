import type { AgentDefinition, AgentError } from './types';

/** The editor's fields, as the person typed them. */
export interface AgentFields {
  name: string;
  description: string;
  persona: string;
  model: string;
  mention: boolean;
  keywords: string;
  direct: boolean;
  intent: string;
  rooms: string;
  tools: string[];
  maxTokens: string;
  maxTurns: string;
  repliesPerMinute: string;
  temperature: string;
  enabled: boolean;
}

/** JSON Pointers of the fields the editor shows; a schema error is shown beside the nearest one. */
export const fieldPointers = [
  '/name', '/description', '/persona', '/model',
  '/triggers/mention', '/triggers/keywords', '/triggers/direct', '/triggers/intent',
  '/rooms', '/tools',
  '/limits/maxTokens', '/limits/maxTurns', '/limits/repliesPerMinute',
  '/temperature', '/enabled',
] as const;

export type FieldPointer = (typeof fieldPointers)[number];

export const agentTools = ['create_room', 'list_rooms', 'watch_topic', 'summarize_room', 'search_knowledge'] as const;

/** "a, b\nc" → ["a", "b", "c"]: trimmed, no empties, no repeats. */
export function splitList(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(/[,\n]/)) {
    const item = part.trim();
    if (item) seen.add(item);
  }
  return [...seen];
}

/** '' → undefined; a number → that number; anything else stays text, so the server's schema says what is wrong. */
export function numberOrText(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

export function fieldsFrom(definition: AgentDefinition | null): AgentFields {
  const d = definition ?? { name: '' };
  const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
  return {
    name: d.name ?? '',
    description: str(d.description),
    persona: str(d.persona),
    model: str(d.model ?? 'reasoning'),
    mention: d.triggers?.mention ?? true,
    keywords: (d.triggers?.keywords ?? []).join(', '),
    direct: d.triggers?.direct ?? false,
    intent: str(d.triggers?.intent),
    rooms: (d.rooms ?? []).join(', '),
    tools: [...(d.tools ?? [])],
    maxTokens: str(d.limits?.maxTokens),
    maxTurns: str(d.limits?.maxTurns),
    repliesPerMinute: str(d.limits?.repliesPerMinute),
    temperature: str(d.temperature),
    enabled: d.enabled ?? true,
  };
}

/**
 * The definition to send. Properties the editor does not show are kept from `base`, so saving
 * never drops what another tool (or a newer schema) put there.
 */
export function definitionFrom(fields: AgentFields, base: AgentDefinition | null): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(base ?? {}) };
  const set = (key: string, value: unknown): void => {
    if (value === undefined || value === '') delete out[key];
    else out[key] = value;
  };
  set('name', fields.name.trim());
  set('description', fields.description.trim() || undefined);
  set('persona', fields.persona || undefined);
  set('model', fields.model || undefined);

  const triggers: Record<string, unknown> = { ...((base?.triggers as Record<string, unknown> | undefined) ?? {}) };
  triggers.mention = fields.mention;
  triggers.direct = fields.direct;
  const keywords = splitList(fields.keywords);
  if (keywords.length > 0) triggers.keywords = keywords;
  else delete triggers.keywords;
  if (fields.intent.trim()) triggers.intent = fields.intent.trim();
  else delete triggers.intent;
  out.triggers = triggers;

  const rooms = splitList(fields.rooms);
  set('rooms', rooms.length > 0 ? rooms : undefined);
  set('tools', fields.tools.length > 0 ? [...fields.tools] : undefined);

  const limits: Record<string, unknown> = { ...((base?.limits as Record<string, unknown> | undefined) ?? {}) };
  for (const key of ['maxTokens', 'maxTurns', 'repliesPerMinute'] as const) {
    const value = numberOrText(fields[key]);
    if (value === undefined) delete limits[key];
    else limits[key] = value;
  }
  set('limits', Object.keys(limits).length > 0 ? limits : undefined);
  set('temperature', numberOrText(fields.temperature));
  out.enabled = fields.enabled;
  return out;
}

/** The field an error belongs to: the longest field pointer that is the error's path or a parent of it; null = the whole definition. */
export function fieldForPointer(path: string): FieldPointer | null {
  let best: FieldPointer | null = null;
  for (const field of fieldPointers) {
    if ((path === field || path.startsWith(`${field}/`)) && (best === null || field.length > best.length)) best = field;
  }
  return best;
}

/** Groups schema errors by field; errors that fit no field go under null (shown above the form). */
export function groupErrors(errors: readonly AgentError[]): Map<FieldPointer | null, string[]> {
  const groups = new Map<FieldPointer | null, string[]>();
  for (const error of errors) {
    const field = fieldForPointer(error.path);
    const where = field === null && error.path && error.path !== '/' ? `${error.path}: ` : '';
    const list = groups.get(field) ?? [];
    list.push(`${where}${error.message}`);
    groups.set(field, list);
  }
  return groups;
}

/** Reads `errors` from an invalid_agent problem document. */
export function agentErrorsOf(problem: unknown): AgentError[] {
  if (problem === null || typeof problem !== 'object') return [];
  const errors = (problem as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return [];
  return errors
    .filter((e): e is { path?: unknown; message?: unknown } => e !== null && typeof e === 'object')
    .map((e) => ({ path: typeof e.path === 'string' ? e.path : '', message: typeof e.message === 'string' ? e.message : 'is not valid' }));
}
