import { CONTENT_TYPES, DATES, hostileString, INVALID_UTF8, ODD_KEYS, offByOneDigit, type Rng } from './fuzz-generators';

/**
 * Mutations of valid requests: of a JSON body's values and keys, of the whole body and its content type, and of a
 * query string. Each says what it did, so that a failing request can be read as well as replayed.
 */
type Path = readonly (string | number)[];
type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

/** Every node below the root of a (small, parsed) JSON value, with its path. */
function nodesOf(value: unknown, path: Path = [], out: { path: Path; value: unknown }[] = []): { path: Path; value: unknown }[] {
  if (!isContainer(value)) return out;
  for (const [key, child] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    const at = [...path, key];
    out.push({ path: at, value: child });
    nodesOf(child, at, out);
  }
  return out;
}

function parentOf(root: Container, path: Path): { parent: Container; key: string | number } {
  let node: unknown = root;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[key];
  return { parent: node as Container, key: path[path.length - 1] as string | number };
}

function setAt(root: Container, path: Path, value: unknown): void {
  const { parent, key } = parentOf(root, path);
  (parent as Record<string | number, unknown>)[key] = value;
}

function removeAt(root: Container, path: Path): void {
  const { parent, key } = parentOf(root, path);
  if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete parent[key as string];
}

const WRONG_TYPES: readonly unknown[] = [123, 0, -1, true, false, null, [], {}, ['x'], { a: 1 }, '', 'x', [[]], 1.5];
const RAW_LITERALS = ['NaN', 'Infinity', '-Infinity', 'undefined', "'x'", '01', '+1', '.5', '1.', '0x10', '1e400', '-1e400', `1${'0'.repeat(400)}`, '12345678901234567890', '-0', 'true'];
const NUMBERS: readonly number[] = [-1, 0, 1.5, 31, 999, 1000, 2 ** 53 + 1, -0, 1e308, 4294967297, 28];
const DEPTHS = [33, 100, 2_000, 10_000];
const BODY_SHAPES = ['null', '[]', '1', '"x"', 'true', '{}', '[[]]', '""', ' '];

/** A raw JSON fragment nested `depth` levels deep. */
export function deepNesting(rng: Rng, depth: number): string {
  return rng.chance(0.5) ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** What a body mutation produced: the bytes to send, the content type (null: no header) and what was done. */
export interface MutatedBody {
  readonly payload?: string | Buffer;
  readonly contentType: string | null;
  readonly mutations: string[];
}

/**
 * Mutates a valid JSON body: one to three changes of its values and keys (wrong types, hostile strings, IINs off by
 * one digit, dates out of range, numbers as strings, NaN literals, deep nesting, odd and duplicate keys), or one
 * change of the whole request (invalid UTF-8, truncation, wrong content type, oversized, not an object...).
 */
export function mutateBody(rng: Rng, valid: object, iins: readonly string[], bodyLimit: number): MutatedBody {
  if (rng.chance(0.25)) return mutateRaw(rng, valid, bodyLimit);
  const root = structuredClone(valid) as Container;
  const raws = new Map<string, string>();
  const mutations: string[] = [];
  const placeholder = (raw: string) => {
    const id = `@@fuzz-${raws.size}@@`;
    raws.set(id, raw);
    return id;
  };
  const count = rng.chance(0.8) ? 1 : rng.between(2, 3);
  for (let n = 0; n < count; n++) {
    const nodes = nodesOf(root);
    const target = rng.pick(nodes);
    if (!target) break;
    const { path, value } = target;
    const where = path.join('.');
    switch (rng.int(12)) {
      case 0: setAt(root, path, rng.pick(WRONG_TYPES)); mutations.push(`wrong type at ${where}`); break;
      case 1: {
        const s = hostileString(rng, typeof value === 'string' ? value : String(value));
        setAt(root, path, s.value); mutations.push(`${s.how} at ${where}`); break;
      }
      case 2: {
        const iin = rng.pick(iins);
        const v = rng.pick([offByOneDigit(rng, iin), offByOneDigit(rng, iin), iin, iin.slice(1), `${iin}0`, `${iin.slice(0, 6)} ${iin.slice(6)}`, Number(iin)]);
        setAt(root, path, v); mutations.push(`IIN ${JSON.stringify(v)} at ${where}`); break;
      }
      case 3: setAt(root, path, rng.pick(DATES)); mutations.push(`date out of range at ${where}`); break;
      case 4: {
        const swapped = typeof value === 'number' ? String(value) : typeof value === 'string' && value !== '' && !Number.isNaN(Number(value)) ? Number(value)
          : Array.isArray(value) ? value.map((v) => (typeof v === 'number' ? String(v) : typeof v === 'string' ? Number(v) : v)) : rng.pick(NUMBERS);
        setAt(root, path, swapped); mutations.push(`number/string swapped at ${where}`); break;
      }
      case 5: removeAt(root, path); mutations.push(`removed ${where}`); break;
      case 6: {
        const raw = rng.pick(RAW_LITERALS);
        setAt(root, path, placeholder(raw)); mutations.push(`literal ${raw.slice(0, 20)} at ${where}`); break;
      }
      case 7: {
        const depth = rng.pick(DEPTHS);
        setAt(root, path, placeholder(deepNesting(rng, depth))); mutations.push(`nesting ${depth} deep at ${where}`); break;
      }
      case 8: {
        const objects = [{ path: [] as Path, value: root }, ...nodes].filter((x) => isContainer(x.value) && !Array.isArray(x.value));
        const { path: at, value: obj } = rng.pick(objects);
        const key = rng.pick(ODD_KEYS);
        const v = rng.pick<unknown>([1, 'x', { prototype: { admin: true } }, {}, null, true]);
        const ph = placeholder(JSON.stringify(key));
        (obj as Record<string, unknown>)[ph] = v;
        mutations.push(`key ${JSON.stringify(key.slice(0, 20))} added at ${at.join('.') || '(root)'}`); break;
      }
      case 9: {
        const objects = [{ path: [] as Path, value: root }, ...nodes].filter((x) => isContainer(x.value) && !Array.isArray(x.value) && Object.keys(x.value).length > 0);
        const { path: at, value } = rng.pick(objects);
        const obj = value as Record<string, unknown>;
        const key = rng.pick(Object.keys(obj));
        const dup = rng.chance(0.5) ? rng.pick(WRONG_TYPES) : hostileString(rng, String(obj[key])).value;
        const entries = Object.entries(obj);
        for (const k of Object.keys(obj)) delete obj[k];
        const ph = placeholder(JSON.stringify(key));
        if (rng.chance(0.5)) obj[ph] = dup;
        for (const [k, v] of entries) obj[k] = v;
        if (!(ph in obj)) obj[ph] = dup;
        mutations.push(`duplicate key ${at.concat(key).join('.')}`); break;
      }
      case 10: {
        const v = rng.pick([[value], [], Array.from({ length: rng.pick([101, 1001]) }, () => value)]);
        setAt(root, path, v); mutations.push(`array of ${v.length} at ${where}`); break;
      }
      default: setAt(root, path, rng.pick(NUMBERS)); mutations.push(`number at ${where}`); break;
    }
  }
  let text = JSON.stringify(root);
  for (const [id, raw] of raws) text = text.split(JSON.stringify(id)).join(raw);
  return { payload: text, contentType: 'application/json', mutations };
}

let oversized: Buffer | null = null;

function mutateRaw(rng: Rng, valid: object, bodyLimit: number): MutatedBody {
  const text = JSON.stringify(valid);
  const json = 'application/json';
  switch (rng.int(13)) {
    case 0: {
      const strings = nodesOf(valid).filter((n) => typeof n.value === 'string');
      const bytes = Buffer.from(rng.pick(INVALID_UTF8));
      const hex = bytes.toString('hex');
      if (strings.length === 0) return { payload: Buffer.concat([Buffer.from(text), bytes]), contentType: json, mutations: [`invalid UTF-8 ${hex} at the end`] };
      const { path, value } = rng.pick(strings);
      const root = structuredClone(valid) as Container;
      setAt(root, path, `${String(value).slice(0, 2)}@@fuzz-bytes@@${String(value).slice(2)}`);
      const [before, after] = JSON.stringify(root).split('@@fuzz-bytes@@') as [string, string];
      return { payload: Buffer.concat([Buffer.from(before), bytes, Buffer.from(after)]), contentType: json, mutations: [`invalid UTF-8 ${hex} in ${path.join('.')}`] };
    }
    case 1: return { payload: text.slice(0, rng.int(text.length)), contentType: json, mutations: ['truncated'] };
    case 2: {
      const bytes = Buffer.from(text);
      const i = rng.int(bytes.length);
      bytes[i] = (bytes[i] as number) ^ (1 << rng.int(8));
      return { payload: bytes, contentType: json, mutations: [`byte ${i} flipped`] };
    }
    case 3: {
      const body = rng.pick([...BODY_SHAPES, `[${text}]`]);
      return { payload: body, contentType: json, mutations: [`body ${body.slice(0, 20)}`] };
    }
    case 4: {
      const variants = [`${text.slice(0, -1)},}`, text.replace(/"/g, "'"), `/* c */${text}`, `${text} garbage`, `${text}${text}`, text.replace(/"([a-zA-Z]+)":/, '$1:'), `${text}\u0000`];
      return { payload: rng.pick(variants), contentType: json, mutations: ['not JSON'] };
    }
    case 5: return { payload: '', contentType: json, mutations: ['empty body'] };
    case 6: return { payload: `\ufeff${text}`, contentType: json, mutations: ['byte order mark'] };
    case 7: return { payload: `\n\t ${text} \r\n`, contentType: json, mutations: ['whitespace around'] };
    case 8: {
      oversized ??= Buffer.concat([Buffer.from('{"note":"'), Buffer.alloc(bodyLimit, 'x'), Buffer.from('"}')]);
      return { payload: oversized, contentType: json, mutations: ['oversized body'] };
    }
    case 9: {
      const type = rng.pick(CONTENT_TYPES);
      return { payload: text, contentType: type, mutations: [`content type ${type}`] };
    }
    case 10: return { payload: text, contentType: null, mutations: ['no content type'] };
    case 11: {
      const variants = [`{"__proto__":{"admin":true},${text.slice(1)}`, `{"constructor":{"prototype":{"admin":true}},${text.slice(1)}`, text.replace(/\{"/, '{"__proto__":null,"'), text.replace(/:\{"/, ':{"constructor":{"prototype":{}},"')];
      return { payload: rng.pick(variants), contentType: json, mutations: ['prototype poisoning'] };
    }
    default: return { contentType: null, mutations: ['no body'] };
  }
}

/** A GET request before serialization: its path, parameters in order (repeats allowed), raw query pieces and headers. */
export interface QueryParts {
  path: string;
  params: [string, string][];
  raw: string[];
  headers: Record<string, string>;
}

const ODD_PARAMS = ['iin=791028302728', '__proto__=1', 'constructor=1', 'toString=1', 'hasOwnProperty=x', 'limit[]=1', 'limit[0]=1', `${'a'.repeat(300)}=1`, 'subjectId=x', '=x', 'x'];
const RAW_ESCAPES = ['%ff', '%', '%E0%A4%A', '%00', '%0A', '+', '%2B25:00', '%C0%AF', '%ED%A0%80'];

/** Mutates a valid query (one to three changes): hostile values, repeated, unknown, dropped, raw-escaped or empty parameters. */
export function mutateQuery(rng: Rng, q: QueryParts): string[] {
  const mutations: string[] = [];
  const count = rng.chance(0.8) ? 1 : rng.between(2, 3);
  for (let n = 0; n < count; n++) {
    const i = rng.int(Math.max(q.params.length, 1));
    const param = q.params[i];
    switch (rng.int(8)) {
      case 0: if (param) {
        const s = hostileString(rng, param[1]);
        param[1] = s.value; mutations.push(`${s.how} in ${param[0]}`);
      } break;
      case 1: if (param) {
        q.params.push([param[0], rng.pick([param[1], '1', '2', ''])]); mutations.push(`${param[0]} repeated`);
      } break;
      case 2: {
        const odd = rng.pick(ODD_PARAMS);
        q.raw.push(odd); mutations.push(`parameter ${odd.slice(0, 20)}`);
      } break;
      case 3: if (param) {
        q.params.splice(i, 1); mutations.push(`${param[0]} dropped`);
      } break;
      case 4: {
        const key = param?.[0] ?? 'from';
        const esc = rng.pick(RAW_ESCAPES);
        if (param) q.params.splice(i, 1);
        q.raw.push(`${key}=${esc}`); mutations.push(`${key}=${esc}`);
      } break;
      case 5: if (param) {
        q.params.splice(i, 1); q.raw.push(param[0]); mutations.push(`${param[0]} without a value`);
      } break;
      case 6: if (param) {
        param[1] = rng.pick(DATES); mutations.push(`date in ${param[0]}`);
      } break;
      default: if (param) {
        param[1] = rng.pick(['-1', '0', '501', '1e2', '1.5', '0x10', ' 1', '\uff11', '9'.repeat(16), '', 'NaN']); mutations.push(`odd number in ${param[0]}`);
      } break;
    }
  }
  return mutations;
}

/** The URL of a query: parameters percent-encoded, raw pieces as they are. */
export function queryUrl(q: QueryParts): string {
  const parts = [...q.params.map(([k, v]) => `${encode(k)}=${encode(v)}`), ...q.raw];
  return parts.length === 0 ? q.path : `${q.path}?${parts.join('&')}`;
}

/** Percent-encodes as UTF-8, a lone surrogate as U+FFFD (which is what its bytes would be on the wire). */
export function encode(text: string): string {
  return encodeURIComponent(Buffer.from(text, 'utf8').toString('utf8'));
}

/** A header value as its bytes would arrive (Node reads them as Latin-1), without the CR, LF and NUL no parser lets through. */
export function headerValue(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1').replace(/[\r\n\0]/g, '');
}
