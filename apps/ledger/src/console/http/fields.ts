/** A form's or a query's fields: names to one text each. */
export type Fields = Readonly<Record<string, string>>;

function valuesOf(source: unknown, name: string): unknown[] {
  if (typeof source !== 'object' || source === null || !Object.prototype.hasOwnProperty.call(source, name)) return [];
  const value = (source as Record<string, unknown>)[name];
  return Array.isArray(value) ? value : [value];
}

/** The text of each field of a parsed form or query (the first when a name is repeated); anything but text is left out. */
export function fieldsOf(source: unknown): Fields {
  const fields: Record<string, string> = {};
  if (typeof source !== 'object' || source === null) return fields;
  for (const name of Object.keys(source)) {
    const first = valuesOf(source, name)[0];
    if (typeof first === 'string') fields[name] = first;
  }
  return fields;
}

/** Every text given for a field that may repeat (checkboxes, multiple selects). */
export function listOf(source: unknown, name: string): string[] {
  return valuesOf(source, name).filter((v): v is string => typeof v === 'string');
}

/** A field's text with its ends trimmed, or undefined when it is empty or absent. */
export function given(fields: Fields, name: string): string | undefined {
  const value = fields[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}
