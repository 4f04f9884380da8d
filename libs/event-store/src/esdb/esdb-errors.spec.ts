import {
  AccessDeniedError, DeadlineExceededError, NotLeaderError, StreamNotFoundError, UnavailableError, WrongExpectedVersionError as EsdbWrongExpectedVersionError,
} from '@eventstore/db-client';
import { StoreUnavailableError, WrongExpectedVersionError } from '../errors';
import { isTransient, toPortAppendError, unavailable, unreachableMessage } from './esdb-errors';
import { parseEsdbLocation } from './esdb-location';

/** What grpc-js hands the client: an Error with a status code and metadata. */
function serviceError(code: number, message: string, metadata: Record<string, string> = {}): never {
  return Object.assign(new Error(message), { code, details: message, metadata: { getMap: () => metadata } }) as never;
}

describe('toPortAppendError', () => {
  it('maps the client\'s conflict to the port\'s, with the expectation as the caller gave it', () => {
    const conflict = new EsdbWrongExpectedVersionError(undefined, { streamName: 's', expected: 3n, current: 5n });
    expect(toPortAppendError(conflict, 's', 3)).toEqual(new WrongExpectedVersionError('s', 3, 5));
    expect(toPortAppendError(conflict, 's', 3)).toMatchObject({ streamId: 's', expected: 3, actual: 5 });
    const missing = new EsdbWrongExpectedVersionError(undefined, { streamName: 's', expected: 'stream_exists', current: 'no_stream' });
    expect(toPortAppendError(missing, 's', 'stream_exists')).toMatchObject({ name: 'WrongExpectedVersionError', expected: 'stream_exists', actual: 'no_stream' });
  });

  it('leaves other errors as they are', () => {
    const denied = new AccessDeniedError();
    expect(toPortAppendError(denied, 's', 'any')).toBe(denied);
  });
});

describe('isTransient', () => {
  it('is true for a lost node, a follower asked to write, a deadline, and discovery that found none', () => {
    expect(isTransient(new UnavailableError(serviceError(14, '14 UNAVAILABLE: No connection established')))).toBe(true);
    expect(isTransient(new NotLeaderError(serviceError(5, 'Leader info available', { 'leader-endpoint-host': 'es2', 'leader-endpoint-port': '2113' })))).toBe(true);
    expect(isTransient(new DeadlineExceededError())).toBe(true);
    // An append to an unreachable node fails with a plain Error carrying the gRPC code.
    expect(isTransient(serviceError(14, '14 UNAVAILABLE: No connection established'))).toBe(true);
    expect(isTransient(new Error('Failed to discover after 10 attempts.'))).toBe(true);
  });

  it('is false for a conflict, a refusal, a missing stream and bad input', () => {
    expect(isTransient(new EsdbWrongExpectedVersionError(undefined, { streamName: 's', expected: 0n, current: 1n }))).toBe(false);
    expect(isTransient(new AccessDeniedError())).toBe(false);
    expect(isTransient(new StreamNotFoundError(undefined, 's'))).toBe(false);
    expect(isTransient(new TypeError('bad'))).toBe(false);
    expect(isTransient(undefined)).toBe(false);
  });
});

describe('messages', () => {
  it('name the address (its password hidden) and what to check', () => {
    const node = parseEsdbLocation('esdb://admin:changeit@127.0.0.1:2113?tls=false');
    const refused = new UnavailableError(serviceError(14, '14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:2113. Resolution note: '));
    expect(unreachableMessage(node, refused)).toBe('EventStoreDB at esdb://admin:***@127.0.0.1:2113?tls=false is unreachable: 14 UNAVAILABLE: No connection established. ' +
      'Last error: Error: connect ECONNREFUSED 127.0.0.1:2113. (is the server running? for a single insecure node use ?tls=false)');
    const cluster = parseEsdbLocation('esdb+discover://es1:2113,es2:2113');
    expect(unreachableMessage(cluster, new Error('Failed to discover after 10 attempts.'))).toContain('are the cluster\'s nodes running');
    expect(unreachableMessage(node, new AccessDeniedError())).toBe('EventStoreDB at esdb://admin:***@127.0.0.1:2113?tls=false refused access: access denied ' +
      '(the ledger\'s user must read $all: a member of $admins or $ops, or an ACL granting it)');
    const error = unavailable(node, 'append to s', refused);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error.message).toMatch(/^EventStoreDB at esdb:\/\/admin:\*\*\*@127\.0\.0\.1:2113\?tls=false: could not append to s: 14 UNAVAILABLE/);
    expect(error.cause).toBe(refused);
  });
});
