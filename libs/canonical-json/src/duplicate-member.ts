/** A member name some object holds twice, and where: `a[2].b` (the path of the second one). */
export interface DuplicateMember {
  readonly name: string;
  readonly path: string;
}

/** An open object (the names seen, the current one) or array (the current index) of the text being scanned. */
interface Open {
  readonly names: Set<string> | null;
  member: string | number;
}

/**
 * The first member name that some object of `text` holds twice, or undefined. For text JSON.parse accepted: it keeps
 * the last of two members silently, while SQLite's json_extract (and any reader that takes the first) reads the
 * first, so such text says two things at once; CANONICAL.md (rule 2) allows each name once. Names are compared by
 * value (`"a"` and `"\u0061"` are one).
 */
export function duplicateMember(text: string): DuplicateMember | undefined {
  // Innermost last.
  const open: Open[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b) open.push({ names: new Set(), member: '' });
    else if (c === 0x5b) open.push({ names: null, member: 0 });
    else if (c === 0x7d || c === 0x5d) open.pop();
    else if (c === 0x2c) {
      const inner = open[open.length - 1];
      if (inner && inner.names === null) inner.member = (inner.member as number) + 1;
    } else if (c === 0x22) {
      let end = i + 1;
      let escaped = false;
      for (; end < text.length && text.charCodeAt(end) !== 0x22; end++) {
        if (text.charCodeAt(end) === 0x5c) {
          escaped = true;
          end++;
        }
      }
      // In valid JSON a string is a member's name exactly when a colon follows it.
      let next = end + 1;
      while (next < text.length && isSpace(text.charCodeAt(next))) next++;
      const inner = open[open.length - 1];
      if (text.charCodeAt(next) === 0x3a && inner?.names) {
        const name = escaped ? (JSON.parse(text.slice(i, end + 1)) as string) : text.slice(i + 1, end);
        inner.member = name;
        if (inner.names.has(name)) return { name, path: pathOf(open) };
        inner.names.add(name);
      }
      i = end;
    }
  }
  return undefined;
}

/** The name only (see duplicateMember). */
export function duplicateMemberName(text: string): string | undefined {
  return duplicateMember(text)?.name;
}

function pathOf(open: readonly Open[]): string {
  let path = '';
  for (const { member } of open) path += typeof member === 'number' ? `[${member}]` : path === '' ? member : `.${member}`;
  return path;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * `duplicateMember(text)` for text that JSON.parse has already made `value`: the same answer, found cheaper when there
 * is none, as there almost never is. JSON.parse keeps one member for each name of an object (compared by value), so
 * the parsed objects hold fewer members in all than the text names exactly when some object names one twice: the
 * text's names are counted (a colon outside strings is a name's) against the parsed objects' keys, and only when the
 * two differ are the names scanned to find which and where. On batches of 1,000 records the scan (a set of names per
 * object, a copy of each name) took 2.3% of the request thread's time; counting takes half (1.46 -> 0.73 ms a batch
 * body, measured in session 22).
 */
export function duplicateMemberOf(text: string, value: unknown): DuplicateMember | undefined {
  return memberNamesIn(text) === membersOf(value) ? undefined : duplicateMember(text);
}

/** The colons outside strings of JSON text: in valid JSON, one per member of an object. */
function memberNamesIn(text: string): number {
  let count = 0;
  let from = 0;
  for (;;) {
    const open = text.indexOf('"', from);
    const end = open < 0 ? text.length : open;
    // Between strings stand only numbers, literals, whitespace and punctuation: short runs, scanned by hand.
    for (let i = from; i < end; i++) if (text.charCodeAt(i) === 0x3a) count++;
    if (open < 0) return count;
    let close = text.indexOf('"', open + 1);
    while (close > 0 && isEscaped(text, close)) close = text.indexOf('"', close + 1);
    if (close < 0) return count;
    from = close + 1;
  }
}

/** Whether the character at `at` follows an odd run of backslashes. */
function isEscaped(text: string, at: number): boolean {
  let backslashes = 0;
  while (text.charCodeAt(at - 1 - backslashes) === 0x5c) backslashes++;
  return backslashes % 2 === 1;
}

/** The own keys of every object inside a parsed JSON value, without recursion (it may nest deeply). */
function membersOf(value: unknown): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      for (const item of node) if (typeof item === 'object' && item !== null) stack.push(item);
      continue;
    }
    for (const key in node) {
      if (!Object.hasOwn(node, key)) continue;
      count++;
      const child = (node as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) stack.push(child);
    }
  }
  return count;
}
