import { codeContainsIin } from '@derbes/ledger';
import { newKeyId } from './api-keys';

describe('newKeyId', () => {
  it('draws again while the id would hold an IIN, and gives 12 hexadecimal digits', () => {
    // 791028302728 is a valid IIN: as an id it would print masked wherever the ledger masks IINs.
    const draws = [Buffer.from('791028302728', 'hex'), Buffer.from('0a1b2c3d4e5f', 'hex')];
    let drawn = 0;
    const id = newKeyId(() => draws[drawn++]!);
    expect(codeContainsIin('791028302728')).toBe(true);
    expect(drawn).toBe(2);
    expect(id).toBe('0a1b2c3d4e5f');
  });

  it('keeps the first draw when it holds no IIN', () => {
    expect(newKeyId(() => Buffer.from('123456789abc', 'hex'))).toBe('123456789abc');
    expect(newKeyId()).toMatch(/^[0-9a-f]{12}$/);
  });
});
