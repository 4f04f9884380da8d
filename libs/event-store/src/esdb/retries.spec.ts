import { UnavailableError, WrongExpectedVersionError } from '@eventstore/db-client';
import { backoffMs, withRetries } from './retries';

const lost = () => new UnavailableError(undefined, '14 UNAVAILABLE: No connection established');

describe('withRetries', () => {
  it('tries again after a transient failure and returns what succeeds', async () => {
    let calls = 0;
    const result = await withRetries(async () => {
      if (++calls < 3) throw lost();
      return 'ok';
    }, 4, () => new Error('gave up'));
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it('gives up after the retries with what giveUp makes of the last failure', async () => {
    let calls = 0;
    const last = lost();
    const error = await withRetries(async () => {
      calls++;
      throw last;
    }, 2, (e) => new Error(`gave up: ${(e as Error).message}`)).catch((e: unknown) => e);
    expect(calls).toBe(3);
    expect(error).toEqual(new Error('gave up: 14 UNAVAILABLE: No connection established'));
  });

  it('throws anything else at once', async () => {
    let calls = 0;
    const conflict = new WrongExpectedVersionError(undefined, { streamName: 's', expected: 0n, current: 1n });
    await expect(withRetries(async () => {
      calls++;
      throw conflict;
    }, 4, () => new Error('gave up'))).rejects.toBe(conflict);
    expect(calls).toBe(1);
  });
});

describe('backoffMs', () => {
  it('doubles from 100 ms up to 5 s', () => {
    expect([1, 2, 3, 4, 7, 20].map(backoffMs)).toEqual([100, 200, 400, 800, 5000, 5000]);
  });
});
