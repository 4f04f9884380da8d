import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEADLINE_COUNTING } from '@derbes/ledger';
import { ConfigError, loadConfig } from './ledger-config';
import { confirmPseudonymKeyFile, resolvePseudonymKey } from './pseudonym-key';

describe('loadConfig', () => {
  it('believes no proxy by default, and the addresses and ranges DERBES_TRUST_PROXY lists', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ DERBES_TRUST_PROXY: 'off' }).trustProxy).toBe(false);
    expect(loadConfig({ DERBES_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,fd00::/8' }).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', 'fd00::/8']);
    for (const bad of ['on', 'gateway', '10.0.0.0/33', '10.0.0.0/8/1', '300.1.1.1']) {
      expect(() => loadConfig({ DERBES_TRUST_PROXY: bad })).toThrow(`DERBES_TRUST_PROXY: "${bad}" is not an IP address or CIDR range`);
    }
  });

  it('defaults to ./data, port 3000, the embedded store and owner mineco', () => {
    const config = loadConfig({}, '/srv/derbes');
    expect(config).toMatchObject({
      dataDir: '/srv/derbes/data', eventStore: '/srv/derbes/data/events.db', host: '127.0.0.1', port: 3000,
      pseudonymKey: null, registersFile: null, owner: 'mineco', clockSkewSeconds: 300, utcOffsetMinutes: 300,
    });
    expect([...config.adequateCountries]).toEqual([]);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      DERBES_DATA_DIR: '/var/lib/derbes', DERBES_EVENT_STORE: ':memory:', PORT: '8080', DERBES_HOST: '0.0.0.0',
      DERBES_PSEUDONYM_KEY: '00'.repeat(32), DERBES_REGISTERS_FILE: 'extra.json', DERBES_ADEQUATE_COUNTRIES: 'by, ru',
      DERBES_CLOCK_SKEW_SECONDS: '60', DERBES_LOG_LEVEL: 'warn',
    }, '/srv');
    expect(config).toMatchObject({ dataDir: '/var/lib/derbes', eventStore: ':memory:', port: 8080, host: '0.0.0.0', registersFile: '/srv/extra.json', clockSkewSeconds: 60, logLevel: 'warn' });
    expect(config.pseudonymKey?.length).toBe(32);
    expect([...config.adequateCountries]).toEqual(['BY', 'RU']);
  });

  it('listens on DERBES_PORT, else PORT; an empty DERBES_PORT is unset, as every empty variable is, and leaves PORT in force', () => {
    expect(loadConfig({}).port).toBe(3000);
    expect(loadConfig({ PORT: '8080' }).port).toBe(8080);
    expect(loadConfig({ PORT: '8080', DERBES_PORT: '9090' }).port).toBe(9090);
    expect(loadConfig({ PORT: '8080', DERBES_PORT: '' }).port).toBe(8080);
  });

  it('takes the requests contact as one line of free text, none when unset, and names the variable when it is not', () => {
    expect(loadConfig({}).requestsContact).toBeNull();
    expect(loadConfig({ DERBES_REQUESTS_CONTACT: '  ' }).requestsContact).toBeNull();
    const text = 'Астана, Мәңгілік Ел 8, 1-кіреберіс; pd-requests@example.kz; +7 7172 74 00 00';
    expect(loadConfig({ DERBES_REQUESTS_CONTACT: ` ${text} ` }).requestsContact).toBe(text);
    expect(() => loadConfig({ DERBES_REQUESTS_CONTACT: 'Astana\nroom 5' })).toThrow('configuration: DERBES_REQUESTS_CONTACT: must be one line of text without control characters');
    expect(() => loadConfig({ DERBES_REQUESTS_CONTACT: 'x'.repeat(501) })).toThrow('configuration: DERBES_REQUESTS_CONTACT: must be at most 500 characters, got 501');
  });

  it('keeps the default request deadlines (request-deadline-defaults.json) unless configured, and report options off by default', () => {
    expect(loadConfig({}).requestDeadlines).toEqual({ information: 3, change: 1, blocking: 1, unblocking: 1, destruction: 1, 'consent-withdrawal': 3 });
    const config = loadConfig({
      DERBES_REQUEST_DEADLINES: 'information:5, destruction:2', DERBES_REPORT_SHOW_ACTORS: 'on', DERBES_CALENDAR_FILE: 'cal.json', DERBES_NAMES_FILE: 'names.json',
    }, '/srv');
    expect(config.requestDeadlines).toMatchObject({ information: 5, destruction: 2, blocking: 1 });
    expect(config).toMatchObject({ reportShowsActors: true, reportShowsWithheld: false, calendarFile: '/srv/cal.json', namesFile: '/srv/names.json' });
  });

  it('lets an embargo last 366 days by default, DERBES_EMBARGO_MAX_DAYS from 0 (none) to ten years, and names the variable otherwise', () => {
    expect(loadConfig({}).embargoMaxDays).toBe(366);
    expect(loadConfig({ DERBES_EMBARGO_MAX_DAYS: '' }).embargoMaxDays).toBe(366);
    expect(loadConfig({ DERBES_EMBARGO_MAX_DAYS: '0' }).embargoMaxDays).toBe(0);
    expect(loadConfig({ DERBES_EMBARGO_MAX_DAYS: '3653' }).embargoMaxDays).toBe(3653);
    expect(() => loadConfig({ DERBES_EMBARGO_MAX_DAYS: '3654' })).toThrow('configuration: DERBES_EMBARGO_MAX_DAYS: must be between 0 and 3653, got 3654');
    for (const bad of ['-1', '1y', 'forever', '36.5']) {
      expect(() => loadConfig({ DERBES_EMBARGO_MAX_DAYS: bad })).toThrow(`configuration: DERBES_EMBARGO_MAX_DAYS: must be a whole number, got "${bad}"`);
    }
  });

  it("counts a deadline's days from where request-deadline-defaults.json says unless DERBES_DEADLINE_FIRST_DAY sets the rule", () => {
    expect(loadConfig({}).deadlineFirstDay).toBe(DEADLINE_COUNTING.firstDay);
    expect(loadConfig({ DERBES_DEADLINE_FIRST_DAY: '' }).deadlineFirstDay).toBe(DEADLINE_COUNTING.firstDay);
    expect(loadConfig({ DERBES_DEADLINE_FIRST_DAY: ' receipt ' }).deadlineFirstDay).toBe('receipt');
    expect(loadConfig({ DERBES_DEADLINE_FIRST_DAY: 'after-receipt' }).deadlineFirstDay).toBe('after-receipt');
  });

  it('expects no system by default and lets any system seen be silent a day; DERBES_SOURCE_SYSTEMS names systems and intervals', () => {
    expect(loadConfig({}).sourceSystems).toEqual({ expected: new Map(), otherwise: 86400 });
    expect(loadConfig({ DERBES_SOURCE_SYSTEMS: 'hr-portal=15m, payroll=1d, erp=off' }).sourceSystems)
      .toEqual({ expected: new Map([['hr-portal', 900], ['payroll', 86400], ['erp', null]]), otherwise: 86400 });
    expect(loadConfig({ DERBES_SOURCE_SYSTEMS: 'hr-portal=30s,*=off' }).sourceSystems).toEqual({ expected: new Map([['hr-portal', 30]]), otherwise: null });
  });

  it('takes an EventStoreDB connection string as the store, as given', () => {
    expect(loadConfig({ DERBES_EVENT_STORE: 'esdb://localhost:2113?tls=false' }, '/srv').eventStore).toBe('esdb://localhost:2113?tls=false');
    expect(loadConfig({ DERBES_EVENT_STORE: ' esdb+discover://es1:2113,es2:2113,es3:2113?tls=false&nodePreference=leader ' }, '/srv').eventStore)
      .toBe('esdb+discover://es1:2113,es2:2113,es3:2113?tls=false&nodePreference=leader');
    expect(loadConfig({ DERBES_EVENT_STORE: 'ledger/events.db' }, '/srv').eventStore).toBe('/srv/ledger/events.db');
  });

  it('keeps the read models where DERBES_READ_MODELS says, or beside the store, and refuses what cannot work', () => {
    expect(loadConfig({}, '/srv').readModels).toBeNull();
    expect(loadConfig({ DERBES_READ_MODELS: 'fast/read-models.db' }, '/srv').readModels).toBe('/srv/fast/read-models.db');
    expect(loadConfig({ DERBES_EVENT_STORE: 'esdb://localhost:2113?tls=false', DERBES_READ_MODELS: '/ssd/rm.db' }, '/srv').readModels).toBe('/ssd/rm.db');
    expect(() => loadConfig({ DERBES_EVENT_STORE: ':memory:', DERBES_READ_MODELS: '/ssd/rm.db' }))
      .toThrow('configuration: DERBES_READ_MODELS: the event store is :memory:, whose read models are in memory too: leave it unset');
    expect(() => loadConfig({ DERBES_READ_MODELS: ':memory:' })).toThrow('configuration: DERBES_READ_MODELS: must be a file');
    expect(() => loadConfig({ DERBES_DATA_DIR: '/var/lib/derbes', DERBES_READ_MODELS: '/var/lib/derbes/events.db' }))
      .toThrow("configuration: DERBES_READ_MODELS: is the event store's own file (/var/lib/derbes/events.db)");
  });

  it('never shows the password of a malformed connection string', () => {
    const attempt = () => loadConfig({ DERBES_EVENT_STORE: 'esdb://admin:Secr3t@es1:2113?tls=fals' });
    expect(attempt).toThrow('configuration: DERBES_EVENT_STORE: esdb://admin:***@es1:2113?tls=fals: ');
    expect(attempt).not.toThrow(/Secr3t/);
  });

  it('signs tree heads unless DERBES_TREE_HEAD_SIGNER is off (one signer among replicas over one store)', () => {
    expect(loadConfig({}).treeHeadSigner).toBe(true);
    expect(loadConfig({ DERBES_TREE_HEAD_SIGNER: 'on' }).treeHeadSigner).toBe(true);
    expect(loadConfig({ DERBES_TREE_HEAD_SIGNER: 'off' }).treeHeadSigner).toBe(false);
  });

  it('gives the PDF layout thread a heap of 512 MiB unless DERBES_PDF_HEAP_MB says otherwise', () => {
    expect(loadConfig({}).pdfHeapMb).toBe(512);
    expect(loadConfig({ DERBES_PDF_HEAP_MB: '96' }).pdfHeapMb).toBe(96);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT', 'whole number'],
    [{ DERBES_PORT: '70000' }, 'DERBES_PORT', 'between 0 and 65535'],
    [{ DERBES_PSEUDONYM_KEY: 'abcd' }, 'DERBES_PSEUDONYM_KEY', 'at least 32 bytes'],
    [{ DERBES_ADEQUATE_COUNTRIES: 'BY,Belarus' }, 'DERBES_ADEQUATE_COUNTRIES', '"BELARUS" is not an assigned two-letter'],
    [{ DERBES_ADEQUATE_COUNTRIES: 'BY,EU' }, 'DERBES_ADEQUATE_COUNTRIES', '"EU" is not an assigned two-letter'],
    [{ DERBES_LOG_LEVEL: 'loud' }, 'DERBES_LOG_LEVEL', 'must be one of'],
    [{ DERBES_EVENT_STORE: 'esdb://localhost:2113?tsl=false' }, 'DERBES_EVENT_STORE', 'unknown option "tsl"; the options are tls, tlsVerifyCert'],
    [{ DERBES_EVENT_STORE: 'esdb://localhost:http?tls=false' }, 'DERBES_EVENT_STORE', 'expected port number'],
    [{ DERBES_EVENT_STORE: 'esdb://localhost:70000' }, 'DERBES_EVENT_STORE', 'port 70000 of localhost is not between 1 and 65535'],
    [{ DERBES_EVENT_STORE: 'esdb://?tls=false' }, 'DERBES_EVENT_STORE', 'names no host'],
    [{ DERBES_EVENT_STORE: 'esdb://localhost:2113?tls=yes' }, 'DERBES_EVENT_STORE', 'expected true or false'],
    [{ DERBES_EVENT_STORE: 'esdb://localhost:2113?throwOnAppendFailure=false' }, 'DERBES_EVENT_STORE', 'throwOnAppendFailure=false is not supported'],
    [{ DERBES_EVENT_STORE: 'kurrentdb://localhost:2113' }, 'DERBES_EVENT_STORE', '"kurrentdb://" is not a store this build opens'],
    [{ DERBES_EVENT_STORE: 'postgres://db/derbes' }, 'DERBES_EVENT_STORE', 'use esdb://host:2113?tls=false'],
    [{ DERBES_REQUEST_DEADLINES: 'information=3' }, 'DERBES_REQUEST_DEADLINES', 'is not kind:days'],
    [{ DERBES_REQUEST_DEADLINES: 'appeal:3' }, 'DERBES_REQUEST_DEADLINES', 'unknown request kind "appeal"'],
    [{ DERBES_REQUEST_DEADLINES: 'blocking:0' }, 'DERBES_REQUEST_DEADLINES', 'between 1 and 60'],
    [{ DERBES_DEADLINE_FIRST_DAY: 'next-day' }, 'DERBES_DEADLINE_FIRST_DAY', 'must be after-receipt or receipt, got "next-day"'],
    [{ DERBES_DEADLINE_FIRST_DAY: 'Receipt' }, 'DERBES_DEADLINE_FIRST_DAY', 'must be after-receipt or receipt, got "Receipt"'],
    [{ DERBES_REPORT_SHOW_ACTORS: 'yes' }, 'DERBES_REPORT_SHOW_ACTORS', 'must be on or off'],
    [{ DERBES_SOURCE_SYSTEMS: 'hr-portal:15m' }, 'DERBES_SOURCE_SYSTEMS', 'is not system=silence'],
    [{ DERBES_SOURCE_SYSTEMS: 'hr-portal=15 minutes' }, 'DERBES_SOURCE_SYSTEMS', 'is not system=silence'],
    [{ DERBES_SOURCE_SYSTEMS: 'hr-portal=15w' }, 'DERBES_SOURCE_SYSTEMS', 'with s, m, h or d'],
    [{ DERBES_SOURCE_SYSTEMS: 'HR=1d' }, 'DERBES_SOURCE_SYSTEMS', '"HR" is not a system code'],
    [{ DERBES_SOURCE_SYSTEMS: 'erp=1d,erp=2d' }, 'DERBES_SOURCE_SYSTEMS', 'erp is named twice'],
    [{ DERBES_TREE_HEAD_SIGNER: 'false' }, 'DERBES_TREE_HEAD_SIGNER', 'must be on or off, got "false"'],
    [{ DERBES_PDF_HEAP_MB: '512MB' }, 'DERBES_PDF_HEAP_MB', 'must be a whole number, got "512MB"'],
    [{ DERBES_PDF_HEAP_MB: '16' }, 'DERBES_PDF_HEAP_MB', 'must be between 32 and 65536, got 16'],
  ])('refuses %j naming %s', (env, variable, reason) => {
    const attempt = () => loadConfig(env);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(`configuration: ${variable}: `);
    expect(attempt).toThrow(reason);
  });
});

describe('resolvePseudonymKey', () => {
  const quiet = { warn: jest.fn() };

  it('creates an unconfirmed key file once, warns, and reads the same key from it or, once confirmed, from pseudonym.key', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'derbes-key-')), 'nested');
    const path = join(dir, 'pseudonym.key');
    const first = resolvePseudonymKey(null, dir, quiet);
    expect(first.key.length).toBe(32);
    expect([first.source, first.unconfirmed]).toEqual([`${path} (made anew: none was found)`, `${path}.unconfirmed`]);
    expect(quiet.warn).toHaveBeenCalledWith(expect.stringContaining('created a new pseudonym key'));
    expect(statSync(`${path}.unconfirmed`).mode & 0o777).toBe(0o600);
    expect(readFileSync(`${path}.unconfirmed`, 'utf8').trim()).toBe(first.key.toString('hex'));
    quiet.warn.mockClear();
    // A start that stopped before its check left it unconfirmed: the next start takes it as unconfirmed still.
    const again = resolvePseudonymKey(null, dir, quiet);
    expect([again.key.equals(first.key), again.unconfirmed]).toEqual([true, `${path}.unconfirmed`]);
    confirmPseudonymKeyFile(`${path}.unconfirmed`);
    const confirmed = resolvePseudonymKey(null, dir, quiet);
    expect([confirmed.key.equals(first.key), confirmed.source, confirmed.unconfirmed]).toEqual([true, path, null]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(quiet.warn).not.toHaveBeenCalled();
  });

  it('prefers the configured key and touches no file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-key-'));
    const key = Buffer.alloc(32, 3);
    expect(resolvePseudonymKey(key, dir, quiet)).toEqual({ key, source: 'DERBES_PSEUDONYM_KEY', unconfirmed: null });
    expect(() => statSync(join(dir, 'pseudonym.key'))).toThrow();
  });
});
