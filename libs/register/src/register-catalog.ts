import { calendarDayAt } from './iso-date';
import type { Register } from './register.model';
import { RegisterSchemaError } from './register-schema-error';

/** Kazakhstan has been on a single time zone, UTC+5, since 1 March 2024. */
export const KZ_UTC_OFFSET_MINUTES = 300;

const CATALOG_SOURCE = 'register catalog';

export interface RegisterCatalogOptions {
  /** Offset from UTC, in minutes, of the calendar in which effective periods are written. Default 300 (UTC+5). */
  readonly utcOffsetMinutes?: number;
  /**
   * Where each register came from, in the order of `registers`, for errors: the file (`source`) and the register's
   * place in it (`at`, e.g. `[1]`). Default: source 'register catalog', at `registers[i]`.
   */
  readonly origins?: readonly RegisterOrigin[];
}

/** Where a register given to the catalog came from: a file and its index there, or the built-in registers. */
export interface RegisterOrigin {
  readonly source: string;
  readonly at: string;
}

/** A category as the order numbers it, with its stable slug. */
export interface CategoryRef {
  readonly number: number;
  readonly slug: string;
}

/** A purpose by its code, with its stable slug. */
export interface PurposeRef {
  readonly code: string;
  readonly slug: string;
}

interface OwnerIndex {
  /** Sorted by effective.from; periods do not overlap. */
  readonly versions: readonly Register[];
  readonly categoryByNumber: Map<number, CategoryRef>;
  readonly categoryBySlug: Map<string, CategoryRef>;
  readonly purposeByCode: Map<string, PurposeRef>;
  readonly purposeBySlug: Map<string, PurposeRef>;
}

interface Entry extends RegisterOrigin {
  readonly register: Register;
}

/** Fails naming the register's file and its place there, and the field under it. */
const fail = (e: Entry, rest: string, reason: string): never => {
  throw new RegisterSchemaError(e.source, `${e.at}${rest}`, reason);
};
const where = (e: Entry): string => (e.source === CATALOG_SOURCE ? e.at : `${e.at} of ${e.source}`);

const idVersion = (r: Pick<Register, 'id' | 'version'>): string => `${r.id}\u0000${r.version}`;
const period = (r: Register): string => `${r.effective.from}..${r.effective.to ?? 'open'}`;
const label = (r: Register): string => `${r.id} v${r.version}`;

/**
 * The registers known to the service, every version of every owner, indexed for the ingest path: which version is in
 * force on a day, and what a category number/slug or purpose code/slug means for an owner.
 */
export class RegisterCatalog {
  private readonly sorted: readonly Register[];
  private readonly byOwner = new Map<string, OwnerIndex>();
  private readonly byIdAndVersion = new Map<string, Register>();
  private readonly utcOffsetMinutes: number;

  /**
   * Throws `RegisterSchemaError` (source 'register catalog', field `registers[i]...`, `i` being the index in
   * `registers`) when an (id, version) pair repeats, an id changes owner, two versions of an owner overlap in
   * effective period, or a category number/slug or purpose code/slug means different things in two versions.
   */
  constructor(registers: readonly Register[], options: RegisterCatalogOptions = {}) {
    const offset = options.utcOffsetMinutes ?? KZ_UTC_OFFSET_MINUTES;
    if (!Number.isInteger(offset) || Math.abs(offset) > 14 * 60) {
      throw new RangeError(`utcOffsetMinutes must be an integer between -840 and 840, got ${offset}`);
    }
    this.utcOffsetMinutes = offset;

    // Origins (or positions in `registers`) name the culprit in errors; the same object may be given twice.
    const entries: Entry[] = registers.map((register, position) => ({
      register, ...(options.origins?.[position] ?? { source: CATALOG_SOURCE, at: `registers[${position}]` }),
    }));

    const seenVersions = new Map<string, Entry>();
    const firstOfId = new Map<string, Entry>();
    for (const e of entries) {
      const { register: r } = e;
      const dup = seenVersions.get(idVersion(r));
      if (dup) fail(e, '', `duplicates ${where(dup)}: id ${JSON.stringify(r.id)} version ${r.version} is given twice`);
      seenVersions.set(idVersion(r), e);
      const sameId = firstOfId.get(r.id);
      if (sameId && sameId.register.owner !== r.owner) {
        fail(
          e, '.owner',
          `is ${JSON.stringify(r.owner)} but ${label(sameId.register)} has owner ${JSON.stringify(sameId.register.owner)}; all versions of an id share one owner`,
        );
      }
      if (!sameId) firstOfId.set(r.id, e);
    }

    const grouped = new Map<string, Entry[]>();
    for (const e of entries) {
      const list = grouped.get(e.register.owner);
      if (list) list.push(e);
      else grouped.set(e.register.owner, [e]);
    }

    for (const [owner, list] of grouped) {
      list.sort((a, b) => byFrom(a.register, b.register));
      for (let i = 1; i < list.length; i++) {
        const prev = list[i - 1]!.register;
        const cur = list[i]!;
        // Sorted by start, periods are pairwise disjoint iff each one ends before the next begins.
        if (prev.effective.to === null || prev.effective.to >= cur.register.effective.from) {
          fail(
            cur, '.effective',
            `period ${period(cur.register)} overlaps ${label(prev)} (${period(prev)}, ${where(list[i - 1]!)}) of owner ${JSON.stringify(owner)}`,
          );
        }
      }
      // A later version of the same list comes into force later: a version number that goes back in time is a typo
      // that would check records against the wrong list without a sign.
      const latestOfId = new Map<string, Register>();
      for (const e of list) {
        const before = latestOfId.get(e.register.id);
        if (before && before.version > e.register.version) {
          fail(e, '.version', `is ${e.register.version}, but version ${before.version} of ${JSON.stringify(e.register.id)} comes into force earlier (${before.effective.from}); versions of a list come into force in their order`);
        }
        latestOfId.set(e.register.id, e.register);
      }
      this.byOwner.set(owner, indexOwner(list));
    }

    this.sorted = Object.freeze(
      [...registers].sort((a, b) => (a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : byFrom(a, b))),
    );
    for (const r of registers) this.byIdAndVersion.set(idVersion(r), r);
  }

  /**
   * A catalog of `builtIn` with `extra` applied: a register in `extra` with the id and version of a built-in one
   * replaces it (how an operator corrects, say, the publication date); the others are added. Throws
   * `RegisterSchemaError` as the constructor does, and when `extra` repeats an id and version.
   */
  static withOverrides(
    builtIn: readonly Register[],
    extra: readonly Register[],
    options: RegisterCatalogOptions & {
      /** Where `extra` came from (the registers file), for errors that name it and its registers' places in it. */
      readonly extraSource?: string;
    } = {},
  ): RegisterCatalog {
    const source = options.extraSource ?? 'extra';
    const replacements = new Map<string, { register: Register; at: string }>();
    extra.forEach((r, i) => {
      // Otherwise the later of two corrections would win silently.
      if (replacements.has(idVersion(r))) {
        throw new RegisterSchemaError(source, `[${i}]`, `id ${JSON.stringify(r.id)} version ${r.version} is given twice`);
      }
      replacements.set(idVersion(r), { register: r, at: `[${i}]` });
    });
    const builtInKeys = new Set(builtIn.map(idVersion));
    for (const r of builtIn) {
      const replaced = replacements.get(idVersion(r));
      const change = replaced && listChange(r, replaced.register);
      if (change) {
        throw new RegisterSchemaError(source, replaced.at, `replaces built-in ${label(r)} but ${change}: records already checked against it would `
          + `no longer say what they were checked against. A changed list is a new version: give it version ${r.version + 1} with its own `
          + `effective period, and end version ${r.version} the day before (a replacement may correct dates, names and titles only)`);
      }
    }
    const merged = [
      ...builtIn.map((r) => {
        const replaced = replacements.get(idVersion(r));
        return replaced
          ? { register: replaced.register, origin: { source, at: replaced.at } }
          : { register: r, origin: { source: 'built-in registers', at: label(r) } };
      }),
      ...extra.flatMap((r, i) => (builtInKeys.has(idVersion(r)) ? [] : [{ register: r, origin: { source, at: `[${i}]` } }])),
    ];
    return new RegisterCatalog(merged.map((m) => m.register), { ...options, origins: merged.map((m) => m.origin) });
  }

  /** Every register, sorted by owner, then by effective.from. */
  all(): readonly Register[] {
    return this.sorted;
  }

  /** The register with this id and version (as an event records it), or undefined when it is not loaded. */
  byIdVersion(id: string, version: number): Register | undefined {
    return this.byIdAndVersion.get(idVersion({ id, version }));
  }

  /** Owner codes, sorted. */
  owners(): string[] {
    return [...this.byOwner.keys()].sort();
  }

  /**
   * The owner's register in force at `at`: `at` is taken as a calendar day at the catalog's UTC offset, and the
   * version whose [from, to] holds that day is returned. Throws RangeError on an invalid Date.
   */
  inForce(owner: string, at: Date): Register | undefined {
    const versions = this.byOwner.get(owner)?.versions;
    if (!versions) return undefined;
    const day = calendarDayAt(at, this.utcOffsetMinutes);
    // A day after year 9999 is written +010000-01-01, which sorts before every YYYY-MM-DD though it comes after
    // them all: only a version without an end is in force then. (One before year 0, -000001-..., sorts right.)
    if (day.startsWith('+')) return versions.find((r) => r.effective.to === null);
    // An owner has a handful of versions at most: a scan beats any index here.
    return versions.find((r) => r.effective.from <= day && (r.effective.to === null || day <= r.effective.to));
  }

  /** The owner's register in force now. */
  current(owner: string, now: Date = new Date()): Register | undefined {
    return this.inForce(owner, now);
  }

  /**
   * A category given by the order's number (an integer) or by its slug, known to any version of the owner's
   * register. Whether it is in force on a given day is a separate question (see `inForce`).
   */
  resolveCategory(owner: string, input: number | string): CategoryRef | undefined {
    const index = this.byOwner.get(owner);
    if (!index) return undefined;
    return typeof input === 'number' ? index.categoryByNumber.get(input) : index.categoryBySlug.get(input);
  }

  /** A purpose given by its code ("P01", case-sensitive) or its slug, known to any version of the owner's register. */
  resolvePurpose(owner: string, input: string): PurposeRef | undefined {
    const index = this.byOwner.get(owner);
    if (!index) return undefined;
    return index.purposeByCode.get(input) ?? index.purposeBySlug.get(input);
  }
}

function byFrom(a: Register, b: Register): number {
  if (a.effective.from !== b.effective.from) return a.effective.from < b.effective.from ? -1 : 1;
  return a.version - b.version;
}

/**
 * What a replacement changes of what decides a record (the categories, the purposes each allows, the purposes), or
 * null when it keeps all of it.
 */
function listChange(before: Register, after: Register): string | null {
  const numbers = (r: Register) => new Map(r.categories.map((c) => [c.number, c]));
  const [was, is] = [numbers(before), numbers(after)];
  for (const [number, c] of was) {
    const now = is.get(number);
    if (!now) return `has no category ${number} (${c.slug})`;
    if (now.slug !== c.slug) return `calls category ${number} ${JSON.stringify(now.slug)}, not ${JSON.stringify(c.slug)}`;
    if (JSON.stringify(now.purposes ?? null) !== JSON.stringify(c.purposes ?? null)) return `changes the purposes category ${number} allows`;
  }
  for (const number of is.keys()) if (!was.has(number)) return `adds category ${number}`;
  const purposes = (r: Register) => r.purposes.map((p) => `${p.code}:${p.slug}`).sort().join(',');
  if (purposes(before) !== purposes(after)) return 'changes its purposes';
  return null;
}

function indexOwner(entries: readonly Entry[]): OwnerIndex {
  const index: OwnerIndex = {
    versions: entries.map((e) => e.register),
    categoryByNumber: new Map(),
    categoryBySlug: new Map(),
    purposeByCode: new Map(),
    purposeBySlug: new Map(),
  };
  for (const e of entries) {
    const r = e.register;
    r.categories.forEach((c, i) => {
      const at = `.categories[${i}]`;
      const byNumber = index.categoryByNumber.get(c.number);
      const bySlug = index.categoryBySlug.get(c.slug);
      // A number or slug that changed meaning between versions would make old records ambiguous.
      if (byNumber && byNumber.slug !== c.slug) {
        fail(e, `${at}.slug`, `is ${JSON.stringify(c.slug)} but category ${c.number} is ${JSON.stringify(byNumber.slug)} in another version`);
      }
      if (bySlug && bySlug.number !== c.number) {
        fail(e, `${at}.number`, `is ${c.number} but slug ${JSON.stringify(c.slug)} is category ${bySlug.number} in another version`);
      }
      const ref = byNumber ?? Object.freeze({ number: c.number, slug: c.slug });
      index.categoryByNumber.set(c.number, ref);
      index.categoryBySlug.set(c.slug, ref);
    });
    r.purposes.forEach((p, i) => {
      const at = `.purposes[${i}]`;
      const byCode = index.purposeByCode.get(p.code);
      const bySlug = index.purposeBySlug.get(p.slug);
      if (byCode && byCode.slug !== p.slug) {
        fail(e, `${at}.slug`, `is ${JSON.stringify(p.slug)} but purpose ${p.code} is ${JSON.stringify(byCode.slug)} in another version`);
      }
      if (bySlug && bySlug.code !== p.code) {
        fail(e, `${at}.code`, `is ${p.code} but slug ${JSON.stringify(p.slug)} is purpose ${bySlug.code} in another version`);
      }
      const ref = byCode ?? Object.freeze({ code: p.code, slug: p.slug });
      index.purposeByCode.set(p.code, ref);
      index.purposeBySlug.set(p.slug, ref);
    });
  }
  return index;
}
