import EN from './messages.en.json';
import KK from './messages.kk.json';
import RU from './messages.ru.json';
import { t } from './console-i18n';

describe('the console catalogs', () => {
  it('have the same keys and the same placeholders in Kazakh, Russian and English, none left empty', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)(?:\|[^|}]*\|[^|}]*)?\}/g)].map((m) => m[1]).sort();
    for (const catalog of [KK, RU] as Record<string, string>[]) {
      expect(Object.keys(catalog).sort()).toEqual(Object.keys(EN).sort());
      for (const [key, text] of Object.entries(EN)) {
        expect([key, placeholders(catalog[key] as string)]).toEqual([key, placeholders(text)]);
        expect(catalog[key]?.trim()).not.toBe('');
      }
    }
  });

  it('fills placeholders in the language asked for', () => {
    expect(t('kk', 'requests.overdue', { days: 2 })).toBe('2 жұмыс күніне мерзімі өткен');
    expect(t('ru', 'requests.overdue', { days: 2 })).toBe('просрочено на 2 раб. дн.');
    expect(t('en', 'requests.overdue', { days: 2 })).toBe('overdue by 2 working days');
  });

  it('says "1 working day" in English, the number and the word for any other number', () => {
    expect(t('en', 'requests.workingDays', { days: 1 })).toBe('1 working day');
    expect(t('en', 'requests.late', { days: 0 })).toBe('late by 0 working days');
    expect(t('en', 'requests.registered', { deadline: '2026-12-01', days: 1 })).toBe('Request registered; answer due by 2026-12-01 (1 working day).');
    expect(t('ru', 'requests.workingDays', { days: 1 })).toBe('1 раб. дн.');
  });
});
