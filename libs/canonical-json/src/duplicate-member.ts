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
