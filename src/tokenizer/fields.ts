/** Type checks of tokenizer.json component fields: a field of the wrong type is INVALID_TOKENIZER, never a TypeError. */
import { StaticEmbedError, describe } from '../errors.js';

/** What a field holds: a JSON type, an integer, or one of some strings. */
export type FieldKind = 'string' | 'boolean' | 'integer' | 'array' | 'object' | readonly string[];

function holds(v: unknown, kind: FieldKind): boolean {
  if (Array.isArray(kind)) return typeof v === 'string' && kind.includes(v);
  switch (kind) {
    case 'integer':
      return Number.isSafeInteger(v);
    case 'array':
      return Array.isArray(v);
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    default:
      return typeof v === kind;
  }
}

/**
 * Checks the fields of one component (`where` names it in messages): each is absent or of its kind; `required` ones
 * must be present, `nullable` ones may be null (the reference's Option).
 */
export function checkFields(
  json: object,
  where: string,
  spec: Record<string, FieldKind>,
  { required = [], nullable = [] }: { required?: readonly string[]; nullable?: readonly string[] } = {},
): void {
  for (const [key, kind] of Object.entries(spec)) {
    const v = (json as Record<string, unknown>)[key];
    if (v === undefined && !required.includes(key)) continue;
    if (v === null && nullable.includes(key)) continue;
    if (holds(v, kind)) continue;
    const want = Array.isArray(kind) ? `one of ${kind.map((k) => `"${k}"`).join(', ')}` : `a JSON ${kind}`;
    throw new StaticEmbedError(
      'INVALID_TOKENIZER',
      `${where}: "${key}" must be ${want}, got ${describe(v)}. The tokenizer.json is damaged or of an unknown version.`,
    );
  }
}
