import type { LedgerConfig } from '../../ledger/src/config/ledger-config';
import { KeysUsageError, createKey, revokeKey } from './keys.command';

// The checks run before any store is opened: a config that names none shows that nothing was written.
const noStore = {} as LedgerConfig;

describe('derbes keys: what a key records of its holder', () => {
  it.each([
    [{ name: '850315310016' }, '--name: must not contain an IIN'],
    [{ name: 'hr-5', unit: 'unit-850315310016' }, '--unit: must not contain an IIN'],
    [{ name: 'hr-5', unit: 'two words' }, '--unit must be a code'],
    [{ name: 'hг-5' }, '--name: must not mix scripts in one word: "hг" has Latin and Cyrillic letters'],
    [{ name: 'hr-5', unit: 'cafe\u0301' }, '--unit: must be in Unicode NFC form'],
    [{ name: 'hr-５' }, '--name: must write numbers with the digits 0-9 only'],
    [{ name: 'data-subject' }, '--name: "data-subject" is a name the ledger records for itself'],
    [{ name: 'derbes' }, '--name: "derbes" is a name the ledger records for itself'],
    [{ name: 'hr-5', unit: 'self' }, '--unit: "self" is a unit the ledger records for itself'],
  ])('refuses %j', async (options, message) => {
    await expect(createKey(noStore, { role: 'official', grants: [], ...options })).rejects.toThrow(new KeysUsageError(message).message);
    await expect(createKey(noStore, { role: 'official', grants: [], ...options })).rejects.toBeInstanceOf(KeysUsageError);
  });

  it('refuses an IIN or a control character in the reason of a revocation', async () => {
    await expect(revokeKey(noStore, 'k-1', 'was 850315310016')).rejects.toThrow('--reason: must not contain an IIN');
    await expect(revokeKey(noStore, 'k-1', 'left\u0007')).rejects.toThrow('--reason must not contain control characters');
  });
});
