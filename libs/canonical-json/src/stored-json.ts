import { canonicalJsonOfStored } from './canonical-json';

/** Texts taken with keepStoredJson, by the object they were written from. */
const kept = new WeakMap<object, string>();

/**
 * The text a store writes for an event's data or metadata: the canonical JSON (keys sorted) of what JSON.stringify
 * would store, so that the stored text is the text the Merkle leaf and the subject chain hash (CANONICAL.md).
 *
 * A caller that hashes an event before appending it (the subject chain) takes the text with `keepStoredJson`: the
 * store then writes that very text instead of writing the object again. The object must not change in between.
 */
export function storedJson(value: object): string {
  return kept.get(value) ?? canonicalJsonOfStored(value);
}

/** `storedJson(value)`, remembered for `value` until it is garbage. */
export function keepStoredJson(value: object): string {
  let text = kept.get(value);
  if (text === undefined) {
    text = canonicalJsonOfStored(value);
    kept.set(value, text);
  }
  return text;
}

/** `storedJson` of an event's data or metadata; undefined when that is not a JSON object (an array, null, a Date...). */
export function storedJsonObject(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const text = storedJson(value);
  return text.charCodeAt(0) === 0x7b ? text : undefined;
}
