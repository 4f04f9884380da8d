import {
  OPERATIONS,
  REQUEST_CHANNELS,
  REQUEST_KINDS,
  SOURCE_KINDS,
  TRANSFER_GROUND_KINDS,
  VIOLATION_CODES,
} from '@derbes/ledger';
import { REPORT_LANGUAGES } from './access-report.model';
import { codeLabel, formatMessage, REPORT_MESSAGES, type CodePrefix } from './report-messages';

const keys = Object.keys(REPORT_MESSAGES.en);
const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)(?:\|[^|}]*)*\}/g)].map((m) => m[1] ?? '').sort();

describe('report messages', () => {
  it('has every key, non-empty, in kk, ru and en, and no other key', () => {
    expect(keys.length).toBeGreaterThan(90);
    for (const lang of REPORT_LANGUAGES) {
      const messages: Record<string, unknown> = REPORT_MESSAGES[lang];
      expect(Object.keys(messages).sort()).toEqual([...keys].sort());
      for (const key of keys) {
        const text = messages[key];
        expect({ lang, key, ok: typeof text === 'string' && text.trim().length > 0 }).toEqual({ lang, key, ok: true });
      }
    }
  });

  it('uses the same placeholders in every language', () => {
    for (const key of keys) {
      const en = placeholders(REPORT_MESSAGES.en[key as keyof typeof REPORT_MESSAGES.en]);
      for (const lang of REPORT_LANGUAGES) {
        expect({ key, lang, names: placeholders(REPORT_MESSAGES[lang][key as keyof typeof REPORT_MESSAGES.en]) }).toEqual({
          key,
          lang,
          names: en,
        });
      }
    }
  });

  it('writes Kazakh with Kazakh letters, and mixes no Latin letter into a Cyrillic word', () => {
    const kk = Object.values(REPORT_MESSAGES.kk).join(' ');
    for (const letter of ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'і']) expect(kk).toContain(letter);
    // A Russian и or Latin i where і belongs is the usual slip; translated labels differ from the English ones.
    for (const lang of ['kk', 'ru'] as const) {
      const words = Object.values(REPORT_MESSAGES[lang]).join(' ').split(/[^\p{L}]+/u);
      expect(words.filter((w) => /\p{Script=Cyrillic}/u.test(w) && /\p{Script=Latin}/u.test(w))).toEqual([]);
    }
    expect(REPORT_MESSAGES.kk.title).toBe('Дербес деректеріңізге қол жеткізу туралы есеп');
    expect(REPORT_MESSAGES.kk['op.collect']).not.toBe(REPORT_MESSAGES.ru['op.collect']);
  });

  it('labels every code the ledger can put in a report', () => {
    const codes: [CodePrefix, readonly string[]][] = [
      ['op', [...OPERATIONS, 'read']],
      ['source', SOURCE_KINDS],
      ['ground', TRANSFER_GROUND_KINDS],
      ['request', REQUEST_KINDS],
      ['channel', REQUEST_CHANNELS],
      ['status', ['open', 'answered', 'refused']],
      ['violation', VIOLATION_CODES],
    ];
    for (const [prefix, list] of codes) {
      for (const code of list) {
        for (const lang of REPORT_LANGUAGES) {
          expect({ lang, prefix, code, labelled: codeLabel(lang, prefix, code) !== code }).toEqual({
            lang,
            prefix,
            code,
            labelled: true,
          });
        }
      }
    }
  });

  it('shows an unknown code as itself rather than failing', () => {
    expect(codeLabel('kk', 'violation', 'some-future-rule')).toBe('some-future-rule');
  });

  it('fills placeholders and refuses a missing one', () => {
    expect(formatMessage('en', 'notice.withheld', { count: 3 })).toMatch(/^Withheld entries exist: 3\./);
    expect(formatMessage('kk', 'status.late', { days: 2 })).toBe('2 жұмыс күніне кешіктірілді');
    expect(() => formatMessage('ru', 'generatedAt')).toThrow(RangeError);
  });

  it('gives a count its word form: one working day late, not "1 working days"', () => {
    expect(formatMessage('en', 'status.late', { days: 1 })).toBe('late by 1 working day');
    expect(formatMessage('en', 'status.late', { days: 3 })).toBe('late by 3 working days');
    expect(formatMessage('kk', 'status.late', { days: 1 })).toBe('1 жұмыс күніне кешіктірілді');
  });
});
