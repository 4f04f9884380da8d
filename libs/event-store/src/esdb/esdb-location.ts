// The client's own parser, so that what the configuration accepts is exactly what the client will connect to. The
// client has no exports map and this module is stable across 6.x; the version is pinned.
import type * as ClientParser from '@eventstore/db-client/dist/Client/parseConnectionString';

/**
 * The client's parser, loaded when a connection string is parsed rather than with this module: it brings in the
 * client's gRPC stack (about 90 ms and 10 MB on each thread), which a ledger on SQLite never uses, while every
 * thread that opens a store asks isEsdbLocation.
 */
function parseConnectionString(text: string): ReturnType<typeof ClientParser.parseConnectionString> {
  return (require('@eventstore/db-client/dist/Client/parseConnectionString') as typeof ClientParser).parseConnectionString(text);
}

/** A connection string to an EventStoreDB node or cluster, checked. */
export interface EsdbLocation {
  /** As given (trimmed): what the client is opened with. */
  readonly connectionString: string;
  /** The same with any password replaced by `***`: for messages and logs. */
  readonly display: string;
  /** `esdb+discover://`: the hosts are gossip seeds of a cluster. */
  readonly discover: boolean;
  /** `host:port` of each node or seed named. */
  readonly hosts: readonly string[];
}

/** A connection string that is not one the client can use; `reason` says which part and why. */
export class EsdbLocationError extends Error {
  override readonly name = 'EsdbLocationError';
  constructor(readonly location: string, readonly reason: string) {
    super(`EventStoreDB location ${location}: ${reason}`);
  }
}

const SCHEME = /^esdb(\+discover)?:\/\//i;
const EXAMPLE = 'e.g. esdb://localhost:2113?tls=false or esdb+discover://node1:2113,node2:2113,node3:2113';
/** The query options of @eventstore/db-client 6.2.1 (matched as it matches them: case, `-` and `_` ignored). */
const OPTIONS = [
  'tls', 'tlsVerifyCert', 'tlsCAFile', 'userCertFile', 'userKeyFile', 'nodePreference', 'connectionName', 'defaultDeadline',
  'maxDiscoverAttempts', 'discoveryInterval', 'gossipTimeout', 'keepAliveInterval', 'keepAliveTimeout', 'throwOnAppendFailure',
] as const;
const flat = (key: string): string => key.trim().toLowerCase().replace(/[_-]/g, '');

/** Whether a DERBES_EVENT_STORE value names EventStoreDB (rather than a SQLite file or ':memory:'). */
export function isEsdbLocation(location: string): boolean {
  return SCHEME.test(location.trim());
}

/** Checks an `esdb://` or `esdb+discover://` connection string; throws EsdbLocationError naming what is wrong. */
export function parseEsdbLocation(location: string): EsdbLocation {
  const text = location.trim();
  const display = redact(text);
  const scheme = SCHEME.exec(text);
  if (!scheme) throw new EsdbLocationError(display, `must start with esdb:// or esdb+discover://, ${EXAMPLE}`);
  if (scheme[0] !== scheme[0].toLowerCase()) throw new EsdbLocationError(display, `the scheme must be lower case (${scheme[0].toLowerCase()})`);
  const rest = text.slice(scheme[0].length);
  const authority = rest.split('?')[0]!.replace(/^[^@/]*@/, '').replace(/\/+$/, '');
  if (authority === '') throw new EsdbLocationError(display, `names no host, ${EXAMPLE}`);
  checkOptions(display, rest.includes('?') ? rest.slice(rest.indexOf('?') + 1) : '');

  let parsed: ReturnType<typeof parseConnectionString>;
  try {
    parsed = parseConnectionString(text);
  } catch (error) {
    throw new EsdbLocationError(display, hidePassword(text, (error as Error).message));
  }
  for (const host of parsed.hosts) {
    if (!(host.port >= 1 && host.port <= 65535)) throw new EsdbLocationError(display, `port ${host.port} of ${host.address} is not between 1 and 65535`);
  }
  return { connectionString: text, display, discover: parsed.dnsDiscover, hosts: parsed.hosts.map((h) => `${h.address}:${h.port}`) };
}

/** The client warns about unknown options and goes on without them; a typo'd `tls` would then mean TLS on. */
function checkOptions(display: string, query: string): void {
  if (query === '') return;
  const known = new Map(OPTIONS.map((o) => [flat(o), o]));
  for (const pair of query.split('&')) {
    const [key = '', value] = pair.split('=');
    const option = known.get(flat(key));
    if (option === undefined) throw new EsdbLocationError(display, `unknown option "${key}"; the options are ${OPTIONS.join(', ')}`);
    if (value === undefined || value === '') throw new EsdbLocationError(display, `option ${option} needs a value (${option}=...)`);
    if (option === 'throwOnAppendFailure' && value.trim().toLowerCase() === 'false') {
      throw new EsdbLocationError(display, 'throwOnAppendFailure=false is not supported: a conflicting append must fail, not return quietly');
    }
  }
}

/** `esdb://user:secret@host` -> `esdb://user:***@host`. */
function redact(text: string): string {
  return text.replace(/^([a-z+]+:\/\/[^:@/?]+:)([^@/?]+)@/i, '$1***@');
}

function hidePassword(text: string, message: string): string {
  const password = /^[a-z+]+:\/\/[^:@/?]+:([^@/?]+)@/i.exec(text)?.[1];
  return password ? message.split(password).join('***') : message;
}
