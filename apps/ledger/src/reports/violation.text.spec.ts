import { VIOLATION_CODES, type ViolationCode } from '@derbes/ledger';
import { LANGS } from '@derbes/register';
import type { RegisterNames } from './register-names';
import { violationText, type ViolationFacts } from './violation.text';

const names: RegisterNames = {
  category: (n) => ({ 28: 'Medical results', 1: 'Surname' } as Record<number, string>)[n] ?? null,
  purpose: (code) => (code === 'P05' ? 'Staffing' : null),
};
const base = {
  category: null, since: null, operation: 'access', purpose: 'P05', occurredAt: '2026-03-02T09:00:00Z',
  register: { id: 'mineco-328-O', version: 1 }, country: null,
} as const;
const facts = (code: ViolationCode, more: Partial<ViolationFacts> = {}): ViolationFacts => ({ ...base, code, ...more });

describe('violations in words', () => {
  it('words every reason in English with the facts of its record', () => {
    expect([
      violationText(facts('no-register-in-force', { register: null }), 'en', names),
      violationText(facts('purpose-not-in-register', { purpose: 'P99' }), 'en', names),
      violationText(facts('category-not-in-register', { category: 31 }), 'en', names),
      violationText(facts('purpose-not-approved-for-category', { category: 28 }), 'en', names),
      violationText(facts('category-destroyed', { category: 28, since: '2026-03-01T10:00:00Z' }), 'en', names),
      violationText(facts('category-depersonalized', { category: 1, operation: 'change', since: '2026-03-01T10:00:00Z' }), 'en', names),
      violationText(facts('blocked-data-processed', { category: 1, operation: 'transfer', since: null }), 'en', names),
      violationText(facts('cross-border-without-ground', { operation: 'transfer', country: 'UZ' }), 'en', names),
    ]).toEqual([
      'no approved list of personal data was in force on 2026-03-02T09:00:00Z',
      'purpose P99 is not in the approved list mineco-328-O v1',
      'category 31 is not in the approved list mineco-328-O v1',
      'purpose P05 (Staffing) is not approved for category 28 (Medical results) in the approved list mineco-328-O v1',
      'Access of category 28 (Medical results), destroyed at 2026-03-01T10:00:00Z',
      'Change of category 1 (Surname), depersonalised at 2026-03-01T10:00:00Z',
      'Transfer of category 1 (Surname), blocked since a time not recorded',
      'transfer to UZ without a consent or treaty reference, and UZ is not listed as a country of adequate protection',
    ]);
  });

  it('words every reason in Kazakh and Russian with the same facts and the operation in that language, never in English', () => {
    const destroyed = facts('category-destroyed', { category: 28, since: '2026-03-01T10:00:00Z' });
    expect(violationText(destroyed, 'kk', names)).toBe('Қол жеткізу: санат жойылған — 28 (Medical results); жойылған уақыты — 2026-03-01T10:00:00Z');
    expect(violationText(destroyed, 'ru', names)).toBe('Доступ: категория 28 (Medical results) уничтожена 2026-03-01T10:00:00Z');
    for (const code of VIOLATION_CODES) {
      const all = facts(code, { category: 28, since: '2026-03-01T10:00:00Z', country: 'UZ' });
      const english = violationText(all, 'en', names);
      for (const lang of LANGS.filter((l) => l !== 'en')) {
        const text = violationText(all, lang, names);
        expect(text).not.toBe(english);
        expect(text).not.toMatch(/\b(of|is|not|in|the|at|since|without)\b/);
        // Each fact the English words name is named in the other languages too.
        for (const fact of ['28 (Medical results)', 'P05 (Staffing)', 'mineco-328-O v1', '2026-03-01T10:00:00Z', 'UZ']) {
          if (english.includes(fact)) expect(text).toContain(fact);
        }
      }
    }
  });

  it('names the local day a list was judged on, when the caller gives it: the UTC instant may fall on the day before', () => {
    const late = facts('no-register-in-force', { register: null, occurredAt: '2025-11-30T19:00:00.000Z', occurredOn: '2025-12-01' });
    expect(violationText(late, 'en', names)).toBe('no approved list of personal data was in force on 2025-12-01, the local day of 2025-11-30T19:00:00.000Z');
    expect(violationText(late, 'ru', names)).toBe('на 2025-12-01 (местная дата 2025-11-30T19:00:00.000Z) не действовал утверждённый перечень персональных данных');
    expect(violationText(late, 'kk', names)).toBe('дербес деректердің бекітілген тізбесі қолданыста болмады: 2025-12-01 (2025-11-30T19:00:00.000Z жергілікті күні)');
  });

  it('writes times with the formatter given (the console: local time)', () => {
    const local = (iso: string) => `local(${iso})`;
    expect(violationText(facts('blocked-data-processed', { category: 1, since: '2026-03-01T10:00:00Z' }), 'en', names, local))
      .toBe('Access of category 1 (Surname), blocked since local(2026-03-01T10:00:00Z)');
    expect(violationText(facts('no-register-in-force'), 'ru', names, local)).toBe('на local(2026-03-02T09:00:00Z) не действовал утверждённый перечень персональных данных');
  });
});
