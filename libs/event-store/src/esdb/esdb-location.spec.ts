import { EsdbLocationError, isEsdbLocation, parseEsdbLocation } from './esdb-location';

describe('isEsdbLocation', () => {
  it.each([
    ['esdb://localhost:2113?tls=false', true],
    ['esdb+discover://a:2113,b:2113', true],
    [' esdb://localhost', true],
    ['/var/lib/derbes/events.db', false],
    [':memory:', false],
    ['data/esdb/events.db', false],
    ['kurrentdb://localhost:2113', false],
  ])('%s -> %s', (location, expected) => {
    expect(isEsdbLocation(location)).toBe(expected);
  });
});

describe('parseEsdbLocation', () => {
  it('reads a single node, with the default port when none is given', () => {
    expect(parseEsdbLocation('esdb://localhost:2113?tls=false')).toEqual({
      connectionString: 'esdb://localhost:2113?tls=false', display: 'esdb://localhost:2113?tls=false', discover: false, hosts: ['localhost:2113'],
    });
    expect(parseEsdbLocation('esdb://es.internal').hosts).toEqual(['es.internal:2113']);
  });

  it('reads the seeds of a cluster and its options, in any case as the client matches them', () => {
    const location = parseEsdbLocation('esdb+discover://es1:2113,es2:2114,es3?tls=false&NodePreference=leader&keep_alive_interval=10000');
    expect(location.discover).toBe(true);
    expect(location.hosts).toEqual(['es1:2113', 'es2:2114', 'es3:2113']);
  });

  it('hides the password wherever the location is shown', () => {
    const location = parseEsdbLocation('esdb://admin:changeit@localhost:2113?tls=false');
    expect(location.connectionString).toBe('esdb://admin:changeit@localhost:2113?tls=false');
    expect(location.display).toBe('esdb://admin:***@localhost:2113?tls=false');
    const error = (() => { try { parseEsdbLocation('esdb://admin:changeit@localhost:2113?tls=nope'); } catch (e) { return e as EsdbLocationError; } return undefined; })();
    expect(error).toBeInstanceOf(EsdbLocationError);
    expect(error!.message).toContain('esdb://admin:***@localhost:2113?tls=nope');
    expect(error!.message).not.toContain('changeit');
  });

  it.each([
    ['esdb://', 'names no host'],
    ['esdb://?tls=false', 'names no host'],
    ['esdb://user:pw@?tls=false', 'names no host'],
    ['ESDB://localhost', 'the scheme must be lower case (esdb://)'],
    ['esdb://localhost:2113?tsl=false', 'unknown option "tsl"; the options are tls, tlsVerifyCert, tlsCAFile'],
    ['esdb://localhost:2113?tls', 'option tls needs a value (tls=...)'],
    ['esdb://localhost:2113?tls=off', 'expected true or false'],
    ['esdb://localhost:port', 'expected port number'],
    ['esdb://localhost:0', 'port 0 of localhost is not between 1 and 65535'],
    ['esdb://localhost:2113?nodePreference=nearest', 'nearest'],
    ['esdb://localhost:2113?throwOnAppendFailure=false', 'throwOnAppendFailure=false is not supported'],
    ['http://localhost:2113', 'must start with esdb:// or esdb+discover://'],
  ])('refuses %s: %s', (location, reason) => {
    expect(() => parseEsdbLocation(location)).toThrow(EsdbLocationError);
    expect(() => parseEsdbLocation(location)).toThrow(reason);
  });
});
