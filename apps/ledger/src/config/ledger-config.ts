import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { EsdbLocationError, isEsdbLocation, parseEsdbLocation } from '@derbes/event-store';
import {
  DEADLINE_COUNTING, DEADLINE_FIRST_DAYS, DEFAULT_REQUEST_DEADLINES, REQUEST_KINDS, isDeadlineFirstDay, isIsoCountry, SYSTEM_CODE_PATTERN,
  type DeadlineFirstDay, type RequestKind,
} from '@derbes/ledger';

/** The validated configuration. Read once at start-up from the environment; nothing else reads process.env. */
export interface LedgerConfig {
  /** Where the embedded store, keys and read models live. DERBES_DATA_DIR, default ./data. */
  readonly dataDir: string;
  /**
   * The event store (DERBES_EVENT_STORE, default <dataDir>/events.db): a SQLite file path (made absolute), ':memory:',
   * or an EventStoreDB connection string, `esdb://host:2113?tls=false` or `esdb+discover://a:2113,b:2113,c:2113`.
   */
  readonly eventStore: string;
  /**
   * The read models' SQLite file (DERBES_READ_MODELS, made absolute); null: `read-models.db` beside a SQLite event
   * store, or in the data directory with EventStoreDB (readModelPath). Another disk than the event store's spares the
   * projections' commits from waiting behind its fsyncs (BENCHMARKS.md, session 9).
   */
  readonly readModels: string | null;
  /** DERBES_HOST, default 127.0.0.1: the API needs keys, but has no TLS of its own (terminate it in front). */
  readonly host: string;
  /** PORT or DERBES_PORT, default 3000. */
  readonly port: number;
  /** HMAC key for subject pseudonyms (DERBES_PSEUDONYM_KEY, hex or base64, >= 32 bytes); null: the key file. */
  readonly pseudonymKey: Buffer | null;
  /** Extra registers (DERBES_REGISTERS_FILE): other orders, other bodies, corrected versions. */
  readonly registersFile: string | null;
  /** Whose register a record is checked against (DERBES_OWNER, default mineco). */
  readonly owner: string;
  /** Countries deemed adequate for transfers abroad (DERBES_ADEQUATE_COUNTRIES, comma list of ISO codes). */
  readonly adequateCountries: ReadonlySet<string>;
  /** How far in the future `occurredAt` may be (DERBES_CLOCK_SKEW_SECONDS, default 300). */
  readonly clockSkewSeconds: number;
  /** Largest accepted request body in bytes (DERBES_BODY_LIMIT_BYTES, default 4 MiB). */
  readonly bodyLimitBytes: number;
  /** How long a client may take to send a whole request, headers and body (DERBES_REQUEST_TIMEOUT_SECONDS, default 60). */
  readonly requestTimeoutSeconds: number;
  /** Kazakhstan's UTC offset for calendar days (DERBES_UTC_OFFSET_MINUTES, default 300 = UTC+5). */
  readonly utcOffsetMinutes: number;
  /** Nest log levels (DERBES_LOG_LEVEL: error, warn, log, debug; default log). */
  readonly logLevel: 'error' | 'warn' | 'log' | 'debug';
  /**
   * Whether this process keeps the read models (DERBES_PROJECTIONS=on|off, default on). Exactly one process per
   * data directory may: a second one (e.g. `derbes demo` beside a running server) writes events only.
   */
  readonly runProjections: boolean;
  /**
   * Whether a process that keeps the read models keeps them on a thread of its own (with a file store). Not read from
   * the environment: the server does (true); `derbes projections rebuild|run`, processes that do nothing else, keep
   * them on their main thread, where they can drive a rebuild.
   */
  readonly projectionsOnThread: boolean;
  /** The operator's corrections of the working-day calendar (DERBES_CALENDAR_FILE): whole years replaced or added. */
  readonly calendarFile: string | null;
  /**
   * Names of the units, roles and systems the emitting systems send as codes, in kk, ru and en (DERBES_NAMES_FILE,
   * JSON: libs/register/src/code-names.ts), shown by the access report and the console; null: the ledger's own codes only.
   */
  readonly namesFile: string | null;
  /**
   * Working days to answer each kind of subject request (DERBES_REQUEST_DEADLINES, e.g. `information:3,blocking:1`);
   * kinds not named keep the defaults of request-deadline-defaults.json (Law 94-V Art. 25: 3 to inform or refuse, 1 to act;
   * only the 3 verified so far).
   */
  readonly requestDeadlines: Readonly<Record<RequestKind, number>>;
  /**
   * Where the working days of a request's deadline start (DERBES_DEADLINE_FIRST_DAY): `after-receipt`, day 1 is the
   * first working day after the day of receipt; `receipt`, the day of receipt when it is a working day. Default
   * request-deadline-defaults.json `counting.firstDay` (from memory, unverified). Requests keep the rule they were
   * received with; the access report tells the one in force.
   */
  readonly deadlineFirstDay: DeadlineFirstDay;
  /**
   * Where a data subject sends a request (DERBES_REQUESTS_CONTACT: free text such as an address, an e-mail and a
   * phone, up to 500 characters on one line); null: the access report sends them to the responsible official.
   */
  readonly requestsContact: string | null;
  /** Whether a subject's report names the individuals who processed their data (DERBES_REPORT_SHOW_ACTORS, default off: unit and role only). */
  readonly reportShowsActors: boolean;
  /** Whether a subject's report says that withheld (embargoed) entries exist (DERBES_REPORT_SHOW_WITHHELD, default off). */
  readonly reportShowsWithheld: boolean;
  /**
   * The longest embargo a record may carry, in days after the local date of its `occurredAt`
   * (DERBES_EMBARGO_MAX_DAYS, 0-3653, default 366: this product's choice, not a legal figure); 0: no record may carry one.
   */
  readonly embargoMaxDays: number;
  /** Requests a second per API key (or subject link), bursts up to twice that (DERBES_RATE_LIMIT, default 5000). */
  readonly rateLimitPerSecond: number;
  /**
   * The proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (DERBES_TRUST_PROXY: addresses or CIDR
   * ranges, comma separated; default off). Behind a TLS-terminating gateway this is what marks the console's
   * cookie Secure and gives the sign-in throttle the client's address; a header from anyone else is ignored.
   */
  readonly trustProxy: readonly string[] | false;
  /** The systems expected to report and how long each may stay silent (DERBES_SOURCE_SYSTEMS, default `*=1d`). */
  readonly sourceSystems: SourceSystemsSetting;
  /**
   * Seconds between signed tree heads (DERBES_TREE_HEAD_INTERVAL, e.g. `5m`, default 5m; `off`: only on demand).
   * Only the process that keeps the read models signs on this interval (exactly one per ledger).
   */
  readonly treeHeadIntervalSeconds: number | null;
  /**
   * Whether this process signs tree heads (DERBES_TREE_HEAD_SIGNER=on|off, default on). Replicas over one shared
   * store each keep their own read models, so exactly one of them is configured to sign: two signers would sign the
   * same log twice over. One that does not sign never signs, on its interval or on demand, and holds no signing key.
   */
  readonly treeHeadSigner: boolean;
  /**
   * The heap of the thread that lays out PDF reports, in MiB (DERBES_PDF_HEAP_MB, default 512): a report too large for
   * it ends that thread, not the process, and is refused (report_too_large). Node's --max-old-space-size, when given,
   * sets every thread's heap instead.
   */
  readonly pdfHeapMb: number;
}

/** Silence allowed per source system, in seconds; null: the system is never flagged silent (`off`). */
export interface SourceSystemsSetting {
  /** The systems named: each must report (never-reported otherwise) and may stay silent this long. */
  readonly expected: ReadonlyMap<string, number | null>;
  /** `*`: how long any other system seen may stay silent. */
  readonly otherwise: number | null;
}

/**
 * Days an embargo may last when DERBES_EMBARGO_MAX_DAYS does not say: a year, leap day included. A cautious choice of
 * this product, so that no record is withheld from its subject for good; not a figure of the law.
 */
export const DEFAULT_EMBARGO_MAX_DAYS = 366;
/** The most DERBES_EMBARGO_MAX_DAYS may be: ten years, leap days included. */
export const MAX_EMBARGO_MAX_DAYS = 3653;

/** What DERBES_SOURCE_SYSTEMS is when not set, and where `*` comes from when the setting names none. */
export const DEFAULT_SOURCE_SYSTEMS = '*=1d';
const SILENCE_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Working days per request kind when DERBES_REQUEST_DEADLINES does not say (request-deadline-defaults.json, with their basis). */
export const DEFAULT_DEADLINES: Readonly<Record<RequestKind, number>> = Object.fromEntries(
  REQUEST_KINDS.map((kind) => [kind, DEFAULT_REQUEST_DEADLINES[kind].workingDays]),
) as Record<RequestKind, number>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly variable: string, reason: string) {
    super(`configuration: ${variable}: ${reason}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function proxies(env: Env, name: string): readonly string[] | false {
  const raw = env[name]?.trim();
  if (!raw || raw === 'off') return false;
  return raw.split(',').map((part) => {
    const entry = part.trim();
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= bits);
    if (family === 0 || !prefixOk || extra !== undefined) {
      throw new ConfigError(name, `"${entry}" is not an IP address or CIDR range (e.g. 10.0.0.0/8 or 127.0.0.1), nor off`);
    }
    return entry;
  });
}

function key(env: Env, name: string): Buffer | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  const bytes = /^[0-9a-fA-F]+$/.test(raw) && raw.length % 2 === 0 ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (bytes.length < 32) throw new ConfigError(name, `must be at least 32 bytes (64 hex characters), got ${bytes.length}`);
  return bytes;
}

function countries(env: Env, name: string): Set<string> {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return new Set();
  const codes = raw.split(',').map((c) => c.trim().toUpperCase());
  for (const code of codes) {
    if (!isIsoCountry(code)) throw new ConfigError(name, `"${code}" is not an assigned two-letter ISO 3166-1 country code`);
  }
  return new Set(codes);
}

function deadlines(env: Env, name: string): Record<RequestKind, number> {
  const result: Record<RequestKind, number> = { ...DEFAULT_DEADLINES };
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return result;
  for (const part of raw.split(',')) {
    const m = /^\s*([a-z-]+)\s*:\s*(\d{1,3})\s*$/.exec(part);
    if (!m) throw new ConfigError(name, `"${part}" is not kind:days, e.g. information:3`);
    const kind = m[1] as RequestKind;
    if (!REQUEST_KINDS.includes(kind)) throw new ConfigError(name, `unknown request kind "${m[1]}"; kinds: ${REQUEST_KINDS.join(', ')}`);
    const days = Number(m[2]);
    if (days < 1 || days > 60) throw new ConfigError(name, `${kind}: working days must be between 1 and 60, got ${days}`);
    result[kind] = days;
  }
  return result;
}

function firstDay(env: Env, name: string): DeadlineFirstDay {
  const raw = (env[name] ?? '').trim();
  if (raw === '') return DEADLINE_COUNTING.firstDay;
  if (!isDeadlineFirstDay(raw)) throw new ConfigError(name, `must be ${DEADLINE_FIRST_DAYS.join(' or ')}, got "${raw}"`);
  return raw;
}

/** One line of free text for people to read, or null when unset. */
function contact(env: Env, name: string): string | null {
  const raw = (env[name] ?? '').trim();
  if (raw === '') return null;
  // A line break or a control character would break the report's layout (and could forge a line of it).
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(raw)) throw new ConfigError(name, 'must be one line of text without control characters');
  if (raw.length > 500) throw new ConfigError(name, `must be at most 500 characters, got ${raw.length}`);
  return raw;
}

function silence(name: string, entry: string, text: string): number | null {
  if (text === 'off') return null;
  const m = /^(\d{1,6})([smhd])$/.exec(text);
  const seconds = m ? Number(m[1]) * (SILENCE_UNITS[m[2] as string] as number) : NaN;
  if (!(seconds >= 1 && seconds <= 366 * 86400)) throw new ConfigError(name, `"${entry}": the silence must be a number with s, m, h or d (up to 366d), or off, e.g. hr-portal=15m`);
  return seconds;
}

function parseSourceSystems(name: string, raw: string): { expected: Map<string, number | null>; otherwise?: number | null } {
  const expected = new Map<string, number | null>();
  let otherwise: number | null | undefined;
  for (const part of raw.split(',')) {
    const entry = part.trim();
    const m = /^([^=\s]+)\s*=\s*(\S+)$/.exec(entry);
    if (!m) throw new ConfigError(name, `"${entry}" is not system=silence, e.g. hr-portal=15m or *=1d`);
    const [, system, value] = m as unknown as [string, string, string];
    if (system !== '*' && !SYSTEM_CODE_PATTERN.test(system)) throw new ConfigError(name, `"${system}" is not a system code (a-z, 0-9, . _ -) or *`);
    if (system === '*' ? otherwise !== undefined : expected.has(system)) throw new ConfigError(name, `${system} is named twice`);
    if (system === '*') otherwise = silence(name, entry, value);
    else expected.set(system, silence(name, entry, value));
  }
  return otherwise === undefined ? { expected } : { expected, otherwise };
}

function sourceSystems(env: Env, name: string): SourceSystemsSetting {
  const defaults = parseSourceSystems(name, DEFAULT_SOURCE_SYSTEMS);
  const raw = env[name];
  const given = raw === undefined || raw.trim() === '' ? defaults : parseSourceSystems(name, raw);
  return { expected: given.expected, otherwise: given.otherwise !== undefined ? given.otherwise : (defaults.otherwise ?? null) };
}

function onOff(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw !== 'on' && raw !== 'off') throw new ConfigError(name, `must be on or off, got "${raw}"`);
  return raw === 'on';
}

/** Builds the configuration from an environment; throws ConfigError naming the bad variable. */
export function loadConfig(env: Env, cwd: string = process.cwd()): LedgerConfig {
  const dataDir = resolve(cwd, env.DERBES_DATA_DIR || 'data');
  const store = eventStoreLocation(env, 'DERBES_EVENT_STORE', dataDir);
  const logLevel = env.DERBES_LOG_LEVEL || 'log';
  if (!['error', 'warn', 'log', 'debug'].includes(logLevel)) {
    throw new ConfigError('DERBES_LOG_LEVEL', `must be one of error, warn, log, debug, got "${logLevel}"`);
  }
  const registersFile = env.DERBES_REGISTERS_FILE || null;
  const projections = env.DERBES_PROJECTIONS || 'on';
  if (projections !== 'on' && projections !== 'off') {
    throw new ConfigError('DERBES_PROJECTIONS', `must be on or off, got "${projections}"`);
  }
  const eventStore = store === ':memory:' || isEsdbLocation(store) || isAbsolute(store) ? store : resolve(cwd, store);
  return {
    dataDir,
    eventStore,
    readModels: readModelsFile(env, 'DERBES_READ_MODELS', cwd, eventStore),
    host: env.DERBES_HOST || '127.0.0.1',
    port: integer(env, env.DERBES_PORT ? 'DERBES_PORT' : 'PORT', 3000, 0, 65535),
    pseudonymKey: key(env, 'DERBES_PSEUDONYM_KEY'),
    registersFile: registersFile ? resolve(cwd, registersFile) : null,
    owner: env.DERBES_OWNER || 'mineco',
    adequateCountries: countries(env, 'DERBES_ADEQUATE_COUNTRIES'),
    clockSkewSeconds: integer(env, 'DERBES_CLOCK_SKEW_SECONDS', 300, 0, 86400),
    bodyLimitBytes: integer(env, 'DERBES_BODY_LIMIT_BYTES', 4 * 1024 * 1024, 1024, 64 * 1024 * 1024),
    requestTimeoutSeconds: integer(env, 'DERBES_REQUEST_TIMEOUT_SECONDS', 60, 1, 3600),
    utcOffsetMinutes: integer(env, 'DERBES_UTC_OFFSET_MINUTES', 300, 0, 840),
    logLevel: logLevel as LedgerConfig['logLevel'],
    runProjections: projections === 'on',
    projectionsOnThread: true,
    calendarFile: env.DERBES_CALENDAR_FILE ? resolve(cwd, env.DERBES_CALENDAR_FILE) : null,
    namesFile: env.DERBES_NAMES_FILE ? resolve(cwd, env.DERBES_NAMES_FILE) : null,
    requestDeadlines: deadlines(env, 'DERBES_REQUEST_DEADLINES'),
    deadlineFirstDay: firstDay(env, 'DERBES_DEADLINE_FIRST_DAY'),
    requestsContact: contact(env, 'DERBES_REQUESTS_CONTACT'),
    reportShowsActors: onOff(env, 'DERBES_REPORT_SHOW_ACTORS', false),
    reportShowsWithheld: onOff(env, 'DERBES_REPORT_SHOW_WITHHELD', false),
    // Ten years at most: a setting of "forever" would give back what the limit is for, a record never shown to its subject.
    embargoMaxDays: integer(env, 'DERBES_EMBARGO_MAX_DAYS', DEFAULT_EMBARGO_MAX_DAYS, 0, MAX_EMBARGO_MAX_DAYS),
    rateLimitPerSecond: integer(env, 'DERBES_RATE_LIMIT', 5000, 1, 1_000_000),
    trustProxy: proxies(env, 'DERBES_TRUST_PROXY'),
    sourceSystems: sourceSystems(env, 'DERBES_SOURCE_SYSTEMS'),
    treeHeadIntervalSeconds: interval(env, 'DERBES_TREE_HEAD_INTERVAL', '5m'),
    treeHeadSigner: onOff(env, 'DERBES_TREE_HEAD_SIGNER', true),
    pdfHeapMb: integer(env, 'DERBES_PDF_HEAP_MB', 512, 32, 65536),
  };
}

/** A file for the read models, away from the event store's own; null when not set. */
function readModelsFile(env: Env, name: string, cwd: string, eventStore: string): string | null {
  const raw = (env[name] ?? '').trim();
  if (raw === '') return null;
  if (eventStore === ':memory:') throw new ConfigError(name, 'the event store is :memory:, whose read models are in memory too: leave it unset');
  if (raw === ':memory:') throw new ConfigError(name, 'must be a file: the request thread and the projections thread open it each');
  const file = resolve(cwd, raw);
  if (file === eventStore) throw new ConfigError(name, `is the event store's own file (${eventStore}): give the read models a file of their own`);
  return file;
}

/** A SQLite path, ':memory:', or a well-formed EventStoreDB connection string (its password never in a message). */
function eventStoreLocation(env: Env, name: string, dataDir: string): string {
  const raw = (env[name] ?? '').trim();
  if (raw === '') return resolve(dataDir, 'events.db');
  if (isEsdbLocation(raw)) {
    try {
      parseEsdbLocation(raw);
    } catch (error) {
      if (error instanceof EsdbLocationError) throw new ConfigError(name, `${error.location}: ${error.reason}`);
      throw error;
    }
    return raw;
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw)?.[1];
  if (scheme !== undefined) {
    throw new ConfigError(name, `"${scheme}://" is not a store this build opens: use esdb://host:2113?tls=false, esdb+discover://node1:2113,node2:2113,node3:2113, a SQLite file path, or :memory:`);
  }
  return raw;
}

/** A period such as `90s`, `5m`, `2h`, `1d`, or `off` (null). */
function interval(env: Env, name: string, fallback: string): number | null {
  const raw = (env[name] || fallback).trim();
  if (raw === 'off') return null;
  const m = /^(\d{1,6})([smhd])$/.exec(raw);
  const seconds = m ? Number(m[1]) * (SILENCE_UNITS[m[2] as string] as number) : NaN;
  if (!(seconds >= 1 && seconds <= 366 * 86400)) throw new ConfigError(name, `"${raw}" is not a period with s, m, h or d (up to 366d), or off, e.g. 5m`);
  return seconds;
}
