import { retentionFor } from './retention';

describe('retentionFor', () => {
  it('gives the storage period of Order 328-Ө\'s owner, citing the verified 2017 list and the 2025 one that replaced it, in each language', () => {
    const mineco = retentionFor('mineco');
    expect(mineco?.verified).toBe(false);
    for (const lang of ['kk', 'ru', 'en'] as const) {
      expect(mineco?.period[lang]).toMatch(/75/);
      // The 75 years were checked against item 462 of the 2017 list (No. 263, reg. No. 15997); the 2025 list's
      // item was not: the person is told both, not only the act whose content is unconfirmed.
      expect(mineco?.basis[lang]).toMatch(/462/);
      expect(mineco?.basis[lang]).toMatch(/№ 263|No\. 263/);
      expect(mineco?.basis[lang]).toMatch(/15997/);
      expect(mineco?.basis[lang]).toMatch(/279-НҚ/);
    }
    expect(retentionFor('nobody')).toBeUndefined();
  });
});
