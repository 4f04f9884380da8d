/**
 * The first member name that some object of `text` holds twice, or undefined. For text JSON.parse accepted: it keeps
 * the last of two members silently, while SQLite's json_extract reads the first, so such text says two things at
 * once; CANONICAL.md (rule 2) allows each name once. Names are compared by value (`"a"` and `"\u0061"` are one).
 */
export function duplicateMemberName(text: string): string | undefined {
  // The names seen in each open object (null for an open array), innermost last.
  const open: Array<Set<string> | null> = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b) open.push(new Set());
    else if (c === 0x5b) open.push(null);
    else if (c === 0x7d || c === 0x5d) open.pop();
    else if (c === 0x22) {
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
      const names = open[open.length - 1];
      if (text.charCodeAt(next) === 0x3a && names) {
        const name = escaped ? (JSON.parse(text.slice(i, end + 1)) as string) : text.slice(i + 1, end);
        if (names.has(name)) return name;
        names.add(name);
      }
      i = end;
    }
  }
  return undefined;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
