import EN from './messages.en.json';
import KK from './messages.kk.json';
import RU from './messages.ru.json';
import { t } from './console-i18n';

describe('the console catalogs', () => {
  it('have the same keys and the same placeholders in Kazakh, Russian and English, none left empty', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)(?:\|[^|}]*)*\}/g)].map((m) => m[1]).sort();
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

  it('gives each number as many word forms as its language has: two in English, three in Russian, none in Kazakh', () => {
    const forms = (text: string) => [...text.matchAll(/\{\w+((?:\|[^|}]*)*)\}/g)].map((m) => m[1]!.split('|').length - 1);
    for (const [catalog, count] of [[EN, 2], [RU, 3], [KK, 0]] as [Record<string, string>, number][]) {
      for (const [key, text] of Object.entries(catalog)) {
        expect([key, forms(text)]).toEqual([key, forms(text).map((n) => (n === 0 ? 0 : count))]);
      }
    }
  });

  it.each([
    [1, '1 причина в 1 записи'],
    [2, '2 причины в 2 записях'],
    [5, '5 причин в 5 записях'],
    [11, '11 причин в 11 записях'],
    [12, '12 причин в 12 записях'],
    [21, '21 причина в 21 записи'],
    [22, '22 причины в 22 записях'],
    [25, '25 причин в 25 записях'],
    [111, '111 причин в 111 записях'],
  ])('says %i in Russian with the word form that number takes', (n, text) => {
    expect(t('ru', 'violations.counts', { reasons: n, records: n })).toBe(text);
  });

  it('words the totals of violations, transfers, the summary and the log by their numbers', () => {
    expect(t('ru', 'summary.totals', { records: 1, subjects: 1 })).toBe('1 запись о 1 субъекте');
    expect(t('ru', 'summary.totals', { records: 3, subjects: 2 })).toBe('3 записи о 2 субъектах');
    expect(t('ru', 'summary.totals', { records: 15, subjects: 5 })).toBe('15 записей о 5 субъектах');
    expect(t('ru', 'transfers.totals', { total: 1, crossBorder: 0 })).toBe('1 передача, из них за рубеж: 0');
    expect(t('ru', 'integrity.logPosition', { position: 1 })).toBe('В журнале 1 событие.');
    expect(t('ru', 'integrity.logPosition', { position: 3 })).toBe('В журнале 3 события.');
    expect(t('ru', 'integrity.logPosition', { position: 5 })).toBe('В журнале 5 событий.');
    expect(t('en', 'violations.counts', { reasons: 1, records: 1 })).toBe('1 reason on 1 record');
    expect(t('en', 'violations.counts', { reasons: 2, records: 2 })).toBe('2 reasons on 2 records');
    expect(t('en', 'transfers.totals', { total: 1, crossBorder: 0 })).toBe('1 transfer, 0 abroad');
    expect(t('en', 'transfers.totals', { total: 2, crossBorder: 1 })).toBe('2 transfers, 1 abroad');
    expect(t('en', 'summary.totals', { records: 1, subjects: 1 })).toBe('1 record about 1 person');
    expect(t('en', 'summary.totals', { records: 2, subjects: 2 })).toBe('2 records about 2 persons');
    expect(t('en', 'integrity.logPosition', { position: 1 })).toBe('The log holds 1 event.');
    expect(t('kk', 'summary.totals', { records: 5, subjects: 2 })).toBe('2 субъект туралы 5 жазба');
  });

  it('words the unusual-activity rule with the forms its numbers take', () => {
    const rule = { minSubjects: 20, minSensitive: 10, factor: 3, windowDays: 30 };
    expect(t('ru', 'activity.rule', rule)).toBe('День отмечается, если число не меньше 20 субъектов или 10 обращений к чувствительным данным, ' +
      'не меньше чем в 3 раза выше обычного уровня сотрудника и более чем в 3 раза выше уровня подразделения, за 30 дней.');
    expect(t('ru', 'activity.rule', { minSubjects: 21, minSensitive: 1, factor: 5, windowDays: 2 })).toContain('не меньше 21 субъекта или 1 обращения');
    expect(t('en', 'activity.rule', rule)).toBe("A day is flagged when the count is at least 20 persons or 10 sensitive accesses, at least 3 times the actor's own " +
      "level and more than 3 times the unit's, over 30 days.");
  });
});
