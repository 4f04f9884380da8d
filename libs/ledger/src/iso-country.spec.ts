import { isIsoCountry } from './iso-country';

describe('ISO 3166-1 alpha-2 codes', () => {
  it('knows assigned countries and territories', () => {
    for (const code of ['KZ', 'RU', 'BY', 'DE', 'US', 'CN', 'TR', 'AQ', 'SS', 'CW', 'BQ', 'SX', 'PS', 'TW', 'HK']) expect(isIsoCountry(code)).toBe(true);
  });

  it('refuses regions, retired, reserved and user-assigned codes, and lower case', () => {
    for (const code of ['EU', 'EZ', 'UN', 'ZZ', 'QO', 'SU', 'YU', 'CS', 'DD', 'AN', 'TP', 'UK', 'XK', 'XA', 'AA', 'kz', 'KZA', '']) {
      expect(isIsoCountry(code)).toBe(false);
    }
  });
});
