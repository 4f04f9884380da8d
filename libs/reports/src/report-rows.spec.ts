import { EMPTY_CELL, reportHeader, reportSections, type ReportSection, type ReportSectionId } from './report-rows';
import { FULL_NAME, reportFlaggedWhileBlocked, sampleReport } from './spec-helpers';

const section = (sections: ReportSection[], id: ReportSectionId): ReportSection => {
  const found = sections.find((s) => s.id === id);
  if (!found) throw new Error(`no section ${id}`);
  return found;
};

describe('report sections', () => {
  it('follows the model: twelve sections in its order (the integrity appendix last), one row per entry, one cell per column', () => {
    const report = sampleReport();
    const sections = reportSections(report);
    expect(sections.map((s) => s.id)).toEqual([
      'holder', 'subject', 'categories', 'events', 'transfers', 'retention', 'rights', 'howToRequest', 'requests', 'violations', 'withheld', 'integrity',
    ]);
    expect(section(sections, 'rights').rows).toHaveLength(report.rights.items.length);
    expect(section(sections, 'categories').rows).toHaveLength(report.categories.length);
    expect(section(sections, 'events').rows).toHaveLength(report.events.length);
    expect(section(sections, 'transfers').rows).toHaveLength(report.transfers.length);
    expect(section(sections, 'requests').rows).toHaveLength(report.requests.length);
    expect(section(sections, 'violations').rows).toHaveLength(report.violations.length);
    for (const s of sections) {
      expect(s.widths).toHaveLength(s.columns.length);
      expect(s.nowrap).toHaveLength(s.columns.length);
      for (const row of s.rows) expect(row).toHaveLength(s.columns.length);
    }
  });

  it('formats an event row in the report language', () => {
    const [first, , transfer, , , block, , read] = section(reportSections(sampleReport()), 'events').rows;
    expect(first).toEqual([
      '2026 ж. 12 қаңтар, 09:15',
      'Жинау',
      '1, 2',
      'Мемлекеттік органның кадр құрамын қалыптастыру және конкурстық іріктеуді ұйымдастыру (P01)',
      'Персоналды басқару департаменті',
      'hr-chief-specialist',
      'Көрсетілмейді',
      '1С: Кадрлар',
      EMPTY_CELL,
      EMPTY_CELL,
    ]);
    expect(transfer?.[9]).toBe('Трансшекаралық беру негізсіз жүргізілді\nМақсат бұл санат үшін бекітілмеген');
    expect(block?.[8]).toBe('0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e');
    expect(read?.slice(1, 3)).toEqual(['Мәліметтеріңізді қарау', EMPTY_CELL]);
    expect(read?.[7]).toBe('Derbes журналы арқылы');
    // Named where the report names the code; the code itself where it does not (no name for a role of `constructor`).
    expect(read?.slice(4, 6)).toEqual(['internal-control', 'Аудитор']);
    expect(transfer?.[7]).toBe('doc-flow');
    const odd = sampleReport();
    odd.events[0]!.role = 'constructor';
    expect(section(reportSections(odd), 'events').rows[0]?.[5]).toBe('constructor');
  });

  it('names a category by number where the data-held section lists it, by name where it does not', () => {
    const report = sampleReport();
    report.events[0]!.categories = [FULL_NAME, { number: 12, slug: 'education', name: 'Білімі туралы мәліметтер' }];
    const cell = section(reportSections(report), 'events').rows[0]?.[2];
    expect(cell).toBe('1\n12. Білімі туралы мәліметтер');
    expect(section(reportSections(report), 'categories').rows.map((r) => r[0]?.split('.')[0])).toEqual(['1', '2', '4', '7']);
  });

  it('shows a late refusal with its delay and its reasons, and an open request without a closing time', () => {
    const [open, refused] = section(reportSections({ ...sampleReport(), language: 'en' }), 'requests').rows;
    expect(open?.slice(4, 7)).toEqual(['1 December 2026', 'Open', EMPTY_CELL]);
    expect(refused?.slice(1, 8)).toEqual([
      'Destruction',
      'Post',
      '1 October 2026, 09:00',
      '8 October 2026',
      'Refused,\nlate by 3 working days',
      '13 October 2026, 15:00',
      'Деректерді сақтау мерзімі әлі өтпеген\nЕңбек кодексі бойынша сақтау міндеті',
    ]);
  });

  it('says with the status how sure a deadline is when its year is projected or not in the calendar at all', () => {
    const report = { ...sampleReport(), language: 'en' as const };
    report.requests[1]!.deadlineCoverage = 'not-covered';
    const [open, refused, answered] = section(reportSections(report), 'requests').rows;
    expect(open?.[5]).toBe('Open');
    expect(refused?.[5]).toBe('Refused,\nlate by 3 working days\n(that year is not in the working-day calendar: Monday to Friday were counted)');
    expect(answered?.[5]).toBe('Answered\n(the working-day calendar of that year is a projection, not yet confirmed)');
    // The date itself stays alone in its column, on one line.
    expect(refused?.[4]).toBe('8 October 2026');
  });

  it('cites each legal basis as a person can look it up, not by the register\'s own code', () => {
    const cell = section(reportSections(sampleReport()), 'categories').rows[0]?.[4];
    expect(cell).toBe('Қазақстан Республикасының Еңбек кодексі\n«Мемлекеттік қызмет өткерудің кейбір мәселелері туралы» 2015 жылғы 29 желтоқсандағы № 152 Қазақстан Республикасы Президентінің Жарлығы');
    expect(cell).not.toMatch(/\(L\d\)/);
  });

  it('says "none" for an empty section and "not known" where the model has null', () => {
    const report = { ...sampleReport(), language: 'ru' as const, transfers: [], withheld: null };
    report.subject = { ...report.subject, maskedIin: null };
    const sections = reportSections(report);
    expect(section(sections, 'transfers')).toMatchObject({ rows: [], empty: 'Записей нет' });
    // Unknown withheld entries are not shown: "not known" on every report read as "something is hidden from you".
    expect(sections.map((s) => s.id)).not.toContain('withheld');
    expect(section(sections, 'subject').rows[0]?.[1]).toBe('Неизвестно');
    expect(reportHeader(report).notices).toEqual([]);
  });

  it('says "not known" in each language whether a category is held that only records of the subject\'s requests name', () => {
    for (const [language, yes, notKnown] of [['kk', 'Иә', 'Белгісіз'], ['ru', 'Да', 'Неизвестно'], ['en', 'Yes', 'Not known']] as const) {
      const report = { ...sampleReport(), language };
      report.categories[1] = { ...report.categories[1]!, held: null };
      expect(section(reportSections(report), 'categories').rows.slice(0, 2).map((r) => r[1])).toEqual([yes, notKnown]);
    }
  });

  it('names a repeated violation code once, and says "not known" for a retention the holder has none for', () => {
    const report = { ...sampleReport(), language: 'en' as const, retention: { period: '', basis: '', verified: false } };
    report.events[4]!.violations = ['category-not-in-register', 'category-not-in-register', 'purpose-not-in-register'];
    const sections = reportSections(report);
    expect(section(sections, 'events').rows[4]?.[9]).toBe('Category not in the approved list\nPurpose not in the approved list');
    expect(section(sections, 'retention').rows).toEqual([['Not known', 'Not known', 'No']]);
  });

  // A record of categories 1 and 2 flagged for the blocked 2 only must not read as if 1 were blocked too.
  it("gives each violation with the category it concerns and since when, or all the record's for a reason about the whole record", () => {
    const rows = (language: 'kk' | 'ru' | 'en') => section(reportSections(reportFlaggedWhileBlocked(language)), 'violations');
    expect(rows('en').rows).toEqual([
      [
        '15 April 2026, 14:00', 'Transfer',
        'Transfer abroad without a legal ground: all categories of the record (1, 4)\nPurpose not approved for this category: category 4',
      ],
      ['10 November 2026, 10:00', 'Access', 'Blocked data processed: category 2, since 5 October 2026, 13:00'],
    ]);
    expect(rows('en').columns).toEqual(['Date and time', 'Operation', 'Violation']);
    expect(rows('ru').rows[1]).toEqual(['10.11.2026, 10:00', 'Доступ', 'Обработаны заблокированные данные: категория 2, с 05.10.2026, 13:00']);
    expect(rows('kk').rows[0]?.[2]).toBe('Трансшекаралық беру негізсіз жүргізілді: жазбаның барлық санаттары (1, 4)\nМақсат бұл санат үшін бекітілмеген: № 4 санат');
    expect(rows('kk').rows[1]?.[2]).toBe('Бұғатталған деректер өңделді: № 2 санат, 2026 ж. 5 қазан, 13:00 бастап');
  });

  it('names in the events table the category each reason concerns, and none for a reason about the whole record', () => {
    const report = reportFlaggedWhileBlocked('en');
    const [transfer, access] = [report.events[1]!, report.events[2]!];
    report.violations[0] = { ...report.violations[0]!, eventId: transfer.eventId };
    report.violations[1] = { ...report.violations[1]!, eventId: access.eventId };
    transfer.violations = ['cross-border-without-ground', 'purpose-not-approved-for-category'];
    access.violations = ['blocked-data-processed'];
    const rows = section(reportSections(report), 'events').rows;
    expect(rows[1]?.[9]).toBe('Transfer abroad without a legal ground\nPurpose not approved for this category (4)');
    expect(rows[2]?.[9]).toBe('Blocked data processed (2)');
  });

  it('announces withheld entries under the title', () => {
    expect(reportHeader(sampleReport()).notices).toEqual(['Ресми тергеуге байланысты уақытша көрсетілмейтін жазбалар бар: 2.']);
    expect(section(reportSections(sampleReport()), 'withheld').rows).toEqual([['2']]);
    expect(section(reportSections({ ...sampleReport(), withheld: { count: 0 } }), 'withheld').rows).toEqual([['Жоқ']]);
  });

  it('gives the integrity appendix: the head, the chain length, the last hashes and the proof, and how to check them', () => {
    const report = { ...sampleReport(), language: 'en' as const };
    const [row] = section(reportSections(report), 'integrity').rows;
    expect(row?.[0]).toContain('derbes verify-report');
    expect(row?.slice(1)).toEqual([
      'the latest signed head, which already covered this report\'s own read', '120431', 'a'.repeat(64),
      '25 November 2026, 14:29 (2026-11-25T09:29:58.120Z)', '21fe31dfa154a261', `${'c'.repeat(64)}\n${'c'.repeat(64)}`, '3',
      `${'3'.repeat(64)}\n${'d'.repeat(64)}`, `${'e'.repeat(64)}\n${'f'.repeat(64)}`,
    ]);
    expect(section(reportSections({ ...report, integrity: null }), 'integrity').rows).toEqual([[expect.stringContaining('No proof could be given')]]);
  });
});
