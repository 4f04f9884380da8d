import type { AccessReport } from './access-report.model';
import { REPORT_LANGUAGES } from './access-report.model';
import { renderAccessReportPdf } from './render-pdf';
import { REPORT_MESSAGES } from './report-messages';
import { reportHeader, reportSections } from './report-rows';
import { CODE_NAMES_SAID, DEFAULT_HOW_TO_REQUEST, expectInOrder, reportWithCodeNames, havePdftotext, poppler, reportFlaggedWhileBlocked, reportWithEvents, sampleReport, sampleWithRights, RIGHTS_SAID } from './spec-helpers';

/** Words, split also after hyphens: the PDF may wrap a long identifier there. */
const tokens = (text: string): string[] => text.split(/\s+|(?<=-)/).filter((t) => t !== '');
const flat = (text: string): string => text.replace(/\s+/g, ' ');

function counts(words: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const w of words) map.set(w, (map.get(w) ?? 0) + 1);
  return map;
}

/** Every word of every header line, title, label and cell, as often as the report shows it. */
function expectedWords(report: AccessReport): string[] {
  const header = reportHeader(report);
  const sections = reportSections(report);
  const texts = [header.title, header.lead, header.generatedAt, header.timeZone, ...header.notices];
  for (const s of sections) {
    texts.push(s.title, ...(s.rows.length === 0 ? [s.empty] : []));
    if (s.layout === 'table') texts.push(...s.columns);
    else texts.push(...s.rows.flatMap(() => s.columns.slice(s.layout === 'records' ? 1 : 0)));
    texts.push(...s.rows.flat());
  }
  return texts.flatMap(tokens);
}

/**
 * The PDF shows the same entries as the sections the HTML is made of: every word as many times (table headers repeat
 * on each page, so the PDF may have more), and each table row, keyed by its one-line date, in order.
 */
function expectSameEntries(report: AccessReport, text: string): void {
  const have = counts(tokens(text));
  const missing = [...counts(expectedWords(report))].filter(([word, n]) => (have.get(word) ?? 0) < n);
  expect(missing).toEqual([]);
  for (const s of reportSections(report)) {
    // The date stays on one line; the next cell may wrap, so only its first word is beside the date.
    const key = (row: readonly string[]): string => `${row[0] ?? ''} ${tokens(row[1] ?? '')[0] ?? ''}`;
    if (s.layout === 'table' && s.nowrap[0]) expectInOrder(flat(text), s.rows.map(key));
    if (s.layout === 'records') expectInOrder(flat(text), s.rows.map((row) => row[0] ?? ''));
  }
}

/** What the rights sections say in each language: the blocking right, how to ask for it, a configured deadline, the official. */
const CONTACT = 'Астана, Мәңгілік Ел 8; pd-requests@example.kz; +7 7172 74 00 00';
const withFiveDays = { ...DEFAULT_HOW_TO_REQUEST, deadlines: { ...DEFAULT_HOW_TO_REQUEST.deadlines, information: 5 } };

const pages = (pdf: Buffer): number => pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0;

describe('renderAccessReportPdf', () => {
  it('makes an A4 PDF in the report language, never loading pdfkit\'s Helvetica', async () => {
    const pdf = await renderAccessReportPdf(sampleReport());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/MediaBox \[0 0 841\.89 595\.28\]/);
    expect(raw).toMatch(/\/Lang \(kk\)/);
    expect(raw).not.toMatch(/Helvetica/);
  });

  it('renders a report whose lists are all empty', async () => {
    const report = { ...sampleReport(), events: [], transfers: [], requests: [], violations: [], categories: [], withheld: null };
    await expect(renderAccessReportPdf(report)).resolves.toBeInstanceOf(Buffer);
  });

  it('rejects a report with a malformed date instead of throwing synchronously', async () => {
    const report = sampleReport();
    report.events[0]!.at = 'soon';
    await expect(renderAccessReportPdf(report)).rejects.toThrow(RangeError);
  });

  it('renders 1,000 events on many pages', async () => {
    const pdf = await renderAccessReportPdf(reportWithEvents(1000));
    expect(pages(pdf)).toBeGreaterThan(10);
  });

  // poppler is part of the toolchain (.ci/run installs it): without it these checks fail rather than skip.
  it('has poppler to read the PDF back', () => {
    expect(havePdftotext()).toBe(true);
  });

  describe('text, read back with poppler', () => {
    it('leaves out the withheld entries where the holder does not show them, and shows a count where it does', async () => {
      const m = REPORT_MESSAGES.en;
      const text = async (report: AccessReport): Promise<string> => flat(poppler('pdftotext', await renderAccessReportPdf(report), ['-layout']));
      const hidden = await text({ ...sampleReport(), language: 'en', withheld: null });
      expect(hidden).not.toContain(m['section.withheld']);
      expect(hidden).not.toContain(m['field.withheldCount']);
      expect(await text({ ...sampleReport(), language: 'en', withheld: { count: 3 } })).toMatch(new RegExp(`${m['section.withheld']} ${m['field.withheldCount']} 3 `));
    });

    it('says its title, author and creation time from the report', async () => {
      const info = poppler('pdfinfo', await renderAccessReportPdf(sampleReport()), ['-isodates']);
      expect(info).toMatch(/^Title:\s+Дербес деректеріңізге қол жеткізу туралы есеп$/m);
      expect(info).toMatch(/^Author:\s+Қазақстан Республикасы Экология және табиғи ресурстар министрлігі$/m);
      expect(info).toMatch(/^CreationDate:\s+2026-11-25T09:30:00Z$/m);
      expect(info).toMatch(/^Page size:\s+841\.89 x 595\.28 pts \(A4\)$/m);
    });

    it('embeds DejaVu Sans, regular and bold, and no other font', async () => {
      const fonts = poppler('pdffonts', await renderAccessReportPdf(sampleReport()), []);
      const names = fonts.split('\n').slice(2).filter((l) => l.trim() !== '').map((l) => l.split(/\s+/)[0]?.replace(/^[A-Z]{6}\+/, ''));
      expect(names.sort()).toEqual(['DejaVuSans', 'DejaVuSans-Bold']);
      expect(fonts).toMatch(/DejaVuSans\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    });

    it.each([
      ['kk', "Бұл бетке қол қойылмаған. JSON нысанындағы есепке (сол мекенжай, format=json) тізілім қол қояды"],
      ['ru', "Эта страница не подписана. Отчёт в формате JSON (тот же адрес с format=json) подписывается реестром"],
      ['en', "This page is not signed. A report in JSON (format=json at the same address) is signed by the ledger"],
    ] as const)('says in its integrity appendix (%s) that it is not signed and that the JSON form is', async (language, said) => {
      const text = poppler('pdftotext', await renderAccessReportPdf({ ...sampleReport(), language }), ['-layout']);
      expect(flat(text).replace(/- /g, '-')).toContain(said);
    });

    it.each([
      ['kk', 'Бұл бетке қол қойылмаған, әрі осы есепті жасаған тізілім оған ешбір нысанда қол қоймады', 'DERBES_TREE_HEAD_SIGNER=on; төмендегі ағаш төбесіне оның 21fe31dfa154a261 кілті'],
      ['ru', 'Эта страница не подписана, и реестр, составивший этот отчёт, не подписал его ни в какой форме', 'DERBES_TREE_HEAD_SIGNER=on; её ключом 21fe31dfa154a261'],
      ['en', 'This page is not signed, and the ledger that made this report signed it in no form', 'DERBES_TREE_HEAD_SIGNER=on; its key 21fe31dfa154a261 signed'],
    ] as const)('says in its integrity appendix (%s) of an unsigned report that this ledger did not sign it, and which replica signs', async (language, said, signer) => {
      const text = flat(poppler('pdftotext', await renderAccessReportPdf({ ...sampleReport(), language, signature: null }), ['-layout'])).replace(/- /g, '-');
      expect(text).toContain(said);
      expect(text).toContain(signer);
      expect(text).not.toContain(REPORT_MESSAGES[language]['integrity.how'].slice(0, 60));
    });

    it('has selectable Kazakh text: every special letter comes back', async () => {
      const text = poppler('pdftotext', await renderAccessReportPdf(sampleReport()), ['-layout']);
      for (const letter of ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і', 'Ә', 'Қ', 'Ө', 'Ү']) expect(text).toContain(letter);
      expect(flat(text)).toContain('Тегі, аты, әкесінің аты (ол болған кезде)');
      expect(flat(text)).toContain('Үшінші тұлға: Гауһар Медикал ЖШС');
    });

    it('leaves text with positioned combining marks to pdfkit, and it still reads back', async () => {
      const report = sampleReport();
      // й written as и + combining breve: the font positions the mark by offset.
      report.transfers[0]!.recipient = 'Йошкар-Ола қаласының әкімдігі'.normalize('NFD');
      const text = poppler('pdftotext', await renderAccessReportPdf(report), ['-layout']).normalize('NFC');
      expect(text).toContain('Йошкар-Ола');
      expect(text).toContain('қаласының әкімдігі');
    });

    it('shows the same entries as the HTML: every word of every row, and the rows in order', async () => {
      const report = sampleReport();
      expectSameEntries(report, poppler('pdftotext', await renderAccessReportPdf(report), ['-layout']));
    });

    it('would notice a row left out', async () => {
      const report = sampleReport();
      const shorter = { ...report, events: report.events.filter((_, i) => i !== 3) };
      const text = poppler('pdftotext', await renderAccessReportPdf(shorter), ['-layout']);
      expect(() => expectSameEntries(report, text)).toThrow();
    });

    it('splits a row taller than a page between pages and loses none of its lines', async () => {
      const report = sampleReport();
      report.requests[1]!.reasons = Array.from({ length: 150 }, (_, i) => `Себеп №${i + 1}`);
      const pdf = await renderAccessReportPdf(report);
      expect(pages(pdf)).toBeGreaterThan(6);
      // A cell split between pages may part "Себеп" from its number; the numbers must all come, in order.
      expectInOrder(flat(poppler('pdftotext', pdf, ['-layout'])), report.requests[1]!.reasons.map((r) => `${r.split(' ')[1] ?? ''} `));
    });

    it('keeps every one of 1,000 events, in order, across the page breaks', async () => {
      const report = reportWithEvents(1000);
      const pdf = await renderAccessReportPdf(report);
      expect(Number(/Pages:\s+(\d+)/.exec(poppler('pdfinfo', pdf, []))?.[1])).toBe(pages(pdf));
      expectSameEntries(report, poppler('pdftotext', pdf, ['-layout']));
    });

    it('shows a unit by its name in each language, not its code', async () => {
      for (const language of REPORT_LANGUAGES) {
        const report = reportWithCodeNames(language);
        const text = poppler('pdftotext', await renderAccessReportPdf(report), ['-layout']);
        const events = flat(text.slice(text.indexOf(REPORT_MESSAGES[language]['section.events'])));
        // Tokens, not the whole name: a table cell wraps it over lines.
        expect(tokens(CODE_NAMES_SAID[language].unit).filter((word) => !events.includes(word))).toEqual([]);
        expect(events).not.toContain('personnel-');
        expectSameEntries(report, text);
      }
    });

    it('names, in each language, the category a violation concerns and since when', async () => {
      const lines = {
        kk: 'Бұғатталған деректер өңделді: № 2 санат, 2026 ж. 5 қазан, 13:00 бастап',
        ru: 'Обработаны заблокированные данные: категория 2, с 05.10.2026, 13:00',
        en: 'Blocked data processed: category 2, since 5 October 2026, 13:00',
      };
      for (const language of REPORT_LANGUAGES) {
        const report = reportFlaggedWhileBlocked(language);
        const text = poppler('pdftotext', await renderAccessReportPdf(report), ['-layout']);
        const violations = flat(text.slice(text.lastIndexOf(REPORT_MESSAGES[language]['section.violations'])));
        expect(violations).toContain(lines[language]);
        expect(violations).not.toContain(REPORT_MESSAGES[language]['col.categories']);
        expectSameEntries(report, text);
      }
    });

    it.each(REPORT_LANGUAGES)('shows the rights, how to ask and where, in %s', async (language) => {
      const said = RIGHTS_SAID[language];
      const m = REPORT_MESSAGES[language];
      const report = sampleWithRights(language, { ...withFiveDays, contact: CONTACT });
      const text = poppler('pdftotext', await renderAccessReportPdf(report), ['-layout']);
      const rights = flat(text.slice(text.indexOf(m['section.rights'])));
      expect(rights).toContain(m['section.howToRequest']);
      expect(rights).toContain(said.information);
      expect(rights).toContain(CONTACT);
      expectSameEntries(report, text);
      const toOfficial = flat(poppler('pdftotext', await renderAccessReportPdf(sampleWithRights(language)), ['-layout']));
      expect(toOfficial).toContain(said.official.trim());
    });

    it.each(REPORT_LANGUAGES)("says in %s of each deadline whose it is and whether verified, and of the counting rule whether verified", async (language) => {
      const said = RIGHTS_SAID[language];
      const m = REPORT_MESSAGES[language];
      const text = flat(poppler('pdftotext', await renderAccessReportPdf(sampleWithRights(language, withFiveDays)), ['-layout'])).replace(/- /g, '-');
      const how = text.slice(text.indexOf(m['section.howToRequest']));
      for (const line of said.deadlines) expect(how).toContain(line);
      // The rule and its "Verified" line are two lines of one cell, between which the layout puts the label's wrap.
      for (const line of said.counting.split(/(?<=\.) /)) expect(how).toContain(line);
    });

    it('renders in each language with its own headings', async () => {
      for (const language of REPORT_LANGUAGES) {
        const report = { ...sampleReport(), language };
        const text = flat(poppler('pdftotext', await renderAccessReportPdf(report), ['-layout']));
        const m = REPORT_MESSAGES[language];
        expect(text).toContain(m.title);
        for (const s of reportSections(report)) expect(text).toContain(s.title);
        for (const other of REPORT_LANGUAGES.filter((l) => l !== language)) {
          expect(text).not.toContain(REPORT_MESSAGES[other]['section.events']);
        }
        expectSameEntries(report, poppler('pdftotext', await renderAccessReportPdf(report), ['-layout']));
      }
    });
  });
});
