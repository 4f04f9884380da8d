import { REPORT_LANGUAGES } from './access-report.model';
import { escapeHtml, htmlCell, renderAccessReportHtml } from './render-html';
import { REPORT_MESSAGES } from './report-messages';
import { reportHeader, reportSections } from './report-rows';
import { CODE_NAMES_SAID, DEFAULT_HOW_TO_REQUEST, expectInOrder, reportWithCodeNames, reportFlaggedWhileBlocked, reportWithEvents, sampleReport, sampleWithRights, RIGHTS_SAID } from './spec-helpers';

/** What the rights sections say in each language: the blocking right, how to ask for it, a configured deadline, the official. */
const CONTACT = 'Астана, Мәңгілік Ел 8; pd-requests@example.kz; +7 7172 74 00 00';
const withFiveDays = { ...DEFAULT_HOW_TO_REQUEST, deadlines: { ...DEFAULT_HOW_TO_REQUEST.deadlines, information: 5 } };

const HOSTILE = `<script>alert("x")</script> & 'Co' <img src=x onerror=alert(1)>`;

/** Every cell in the document order the renderer uses: a table row's cells, or a record's label and value pairs. */
function expectedCells(report: ReturnType<typeof sampleReport>): string[] {
  return reportSections(report).flatMap((s) => {
    if (s.layout === 'table') return s.rows.flatMap((row) => row.map((cell) => `>${htmlCell(cell)}</td>`));
    const skip = s.layout === 'records' ? 1 : 0;
    return s.rows.flatMap((row) => [
      ...(skip ? [`<caption>${htmlCell(row[0] ?? '')}</caption>`] : []),
      ...s.columns.slice(skip).map((label, i) => `<th scope="row">${htmlCell(label)}</th><td>${htmlCell(row[i + skip] ?? '')}</td>`),
    ]);
  });
}

describe('renderAccessReportHtml', () => {
  it.each(REPORT_LANGUAGES)('shows a unit, a role and a system by the name the report gives them, in %s', (language) => {
    const said = CODE_NAMES_SAID[language];
    const html = renderAccessReportHtml(reportWithCodeNames(language));
    expect(html).toContain(`>${escapeHtml(said.unit)}</td>`);
    expect(html).toContain(`>${escapeHtml(said.role)}</td>`);
    expect(html).toContain(`>${escapeHtml(said.system)}</td>`);
    expect(html).not.toContain('>personnel-management</td>');
    expect(html).not.toContain('>e-qyzmet</td>');
  });

  // The HTML and PDF are not signed; only the JSON form is. The appendix must not let a reader think otherwise.
  it.each([
    ['kk', "Бұл бетке қол қойылмаған. JSON нысанындағы есепке (сол мекенжай, format=json) тізілім қол қояды"],
    ['ru', "Эта страница не подписана. Отчёт в формате JSON (тот же адрес с format=json) подписывается реестром"],
    ['en', "This page is not signed. A report in JSON (format=json at the same address) is signed by the ledger"],
  ] as const)('says in its integrity appendix (%s) that it is not signed and that the JSON form is', (language, said) => {
    expect(renderAccessReportHtml({ ...sampleReport(), language })).toContain(said);
  });

  // A replica with DERBES_TREE_HEAD_SIGNER=off signs nothing: its report must not promise a signature.
  it.each([
    ['kk', 'Бұл бетке қол қойылмаған, әрі осы есепті жасаған тізілім оған ешбір нысанда қол қоймады', 'DERBES_TREE_HEAD_SIGNER=on; төмендегі ағаш төбесіне оның 21fe31dfa154a261 кілті'],
    ['ru', 'Эта страница не подписана, и реестр, составивший этот отчёт, не подписал его ни в какой форме', 'DERBES_TREE_HEAD_SIGNER=on; её ключом 21fe31dfa154a261'],
    ['en', 'This page is not signed, and the ledger that made this report signed it in no form', 'DERBES_TREE_HEAD_SIGNER=on; its key 21fe31dfa154a261 signed'],
  ] as const)('says in its integrity appendix (%s) of an unsigned report that this ledger did not sign it, and which replica signs', (language, said, signer) => {
    const html = renderAccessReportHtml({ ...sampleReport(), language, signature: null });
    expect(html).toContain(escapeHtml(said));
    expect(html).toContain(signer);
    expect(html).not.toContain(escapeHtml(REPORT_MESSAGES[language]['integrity.how'].slice(0, 60)));
  });

  it('is a complete HTML5 document in the report language, with no script and nothing external', () => {
    const html = renderAccessReportHtml(sampleReport());
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="kk">\n<head>\n<meta charset="utf-8">')).toBe(true);
    expect(html).toContain('<title>Дербес деректеріңізге қол жеткізу туралы есеп</title>');
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<iframe|<img|\ssrc=|\shref=|url\(|@import|\son\w+=/i);
    expect(html).toMatch(/@media print \{[^]*@page \{ size: A4/);
  });

  it('escapes every string from the report', () => {
    const report = sampleReport();
    report.transfers[1]!.recipient = HOSTILE;
    report.events[0]!.unit = HOSTILE;
    report.holder.body = HOSTILE;
    report.requests[1]!.reasons = [HOSTILE];
    const html = renderAccessReportHtml(report);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    const escaped = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39; &lt;img src=x onerror=alert(1)&gt;';
    expect(escaped).toBe(escapeHtml(HOSTILE));
    expect(html.split(escaped)).toHaveLength(5);
  });

  it.each(REPORT_LANGUAGES)('shows the rights, how to ask and where, in %s: the configured deadline, the contact or else the official', (language) => {
    const said = RIGHTS_SAID[language];
    const m = REPORT_MESSAGES[language];
    const report = sampleWithRights(language, withFiveDays);
    const html = renderAccessReportHtml(report);
    expectInOrder(html, [`<h2 id="section-rights">${escapeHtml(m['section.rights'])}</h2>`, escapeHtml(said.blocking), escapeHtml(said.ask), `<h2 id="section-howToRequest">`, escapeHtml(said.information)]);
    const rights = html.slice(html.indexOf('section-rights'), html.indexOf('section-howToRequest'));
    expect(rights).toMatch(new RegExp(`<td data-label="[^"]+">${escapeHtml(m['value.rightUnverified'])}</td>`));
    expect(rights).toMatch(new RegExp(`<td data-label="[^"]+">${m['value.yes']}</td>`));
    expect(html).toContain(escapeHtml(said.official + report.holder.responsibleOfficial));
    const withContact = renderAccessReportHtml(sampleWithRights(language, { ...withFiveDays, contact: CONTACT }));
    expect(withContact).toContain(`<td>${escapeHtml(CONTACT)}</td>`);
    expect(withContact).not.toContain(escapeHtml(said.official));
  });

  it.each(REPORT_LANGUAGES)("says in %s of each deadline whose it is and whether verified, and of the counting rule whether verified", (language) => {
    const said = RIGHTS_SAID[language];
    const html = renderAccessReportHtml(sampleWithRights(language, withFiveDays));
    const how = html.slice(html.indexOf('section-howToRequest'), html.indexOf('section-requests'));
    for (const line of said.deadlines) expect(how).toContain(escapeHtml(line));
    expect(how).toContain(escapeHtml(said.counting).replace(/\. ([^.]+)$/, '.<br>$1'));
  });

  it('has its headings in order and real tables with captions and header scopes', () => {
    const report = sampleReport();
    const html = renderAccessReportHtml(report);
    const headings = [...html.matchAll(/<h([1-6])[^>]*>([^<]*)<\/h\1>/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(headings).toEqual([
      `1 ${REPORT_MESSAGES.kk.title}`,
      ...reportSections(report).map((s) => `2 ${s.title}`),
    ]);
    const tables = html.split('<table').length - 1;
    expect(tables).toBeGreaterThanOrEqual(10);
    expect(html.split('<caption').length - 1).toBe(tables);
    // Events, transfers, rights, requests, violations.
    expect(html.match(/<th scope="col">/g)).toHaveLength(10 + 7 + 4 + 8 + 3);
    expect(html).not.toMatch(/<th>/);
  });

  it('shows every entry of every section, in order', () => {
    const report = sampleReport();
    const html = renderAccessReportHtml(report);
    expectInOrder(html, expectedCells(report));
    const header = reportHeader(report);
    expectInOrder(html, [header.title, header.lead, header.generatedAt, header.timeZone, ...header.notices].map(escapeHtml));
  });

  it("names, in each language, the category a violation concerns and since when, in a table without the record's categories", () => {
    const cells = {
      kk: ['Бұғатталған деректер өңделді: № 2 санат, 2026 ж. 5 қазан, 13:00 бастап', '№ 4 санат'],
      ru: ['Обработаны заблокированные данные: категория 2, с 05.10.2026, 13:00', 'все категории записи (1, 4)'],
      en: ['Blocked data processed: category 2, since 5 October 2026, 13:00', 'all categories of the record (1, 4)'],
    };
    for (const language of REPORT_LANGUAGES) {
      const html = renderAccessReportHtml(reportFlaggedWhileBlocked(language));
      const table = html.slice(html.indexOf('<h2 id="section-violations">'), html.indexOf('<h2 id="section-withheld">'));
      expect(table).toContain(`<td data-label="${REPORT_MESSAGES[language]['col.codes']}">${cells[language][0]}</td>`);
      expect(table).toContain(cells[language][1]);
      expect(table.match(/<th scope="col">/g)).toHaveLength(3);
      expect(table).not.toContain(REPORT_MESSAGES[language]['col.categories']);
    }
  });

  it('contains every event row of a long report', () => {
    const report = reportWithEvents(300);
    const html = renderAccessReportHtml(report);
    expect(html.match(/<tr><td class="nowrap" data-label="[^"]+">2026 ж\. /g)).toHaveLength(300 + report.transfers.length + report.violations.length);
    expectInOrder(html, expectedCells(report));
  });

  it('writes Kazakh letters as they are', () => {
    const html = renderAccessReportHtml(sampleReport());
    for (const letter of ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і']) expect(html).toContain(letter);
    expect(html).toContain('Тегі, аты, әкесінің аты (ол болған кезде)');
  });

  it('renders in each language with its own headings, and "none" for an empty section', () => {
    for (const language of REPORT_LANGUAGES) {
      const html = renderAccessReportHtml({ ...sampleReport(), language, transfers: [] });
      const m = REPORT_MESSAGES[language];
      expect(html).toContain(`<html lang="${language}">`);
      expect(html).toContain(`<h1>${escapeHtml(m.title)}</h1>`);
      for (const key of ['section.holder', 'section.events'] as const) expect(html).toContain(`>${m[key]}</h2>`);
      expect(html).toContain(`<h2 id="section-transfers">${m['section.transfers']}</h2>\n<p>${m['value.noEntries']}</p>`);
      for (const other of REPORT_LANGUAGES.filter((l) => l !== language)) {
        expect(html).not.toContain(REPORT_MESSAGES[other]['section.events']);
      }
    }
  });

  // On a phone a table of ten columns gave each a letter's width: there, each entry becomes "column: value" lines.
  it.each(REPORT_LANGUAGES)('names its column in every table cell (%s), shown beside the value on a narrow screen', (language) => {
    const report = { ...sampleReport(), language };
    const html = renderAccessReportHtml(report);
    expect(html).toContain(`<html lang="${language}">`);
    for (const s of reportSections(report).filter((x) => x.layout === 'table')) {
      const part = html.slice(html.indexOf(`<h2 id="section-${s.id}">`), html.indexOf('</section>', html.indexOf(`<h2 id="section-${s.id}">`)));
      expect(part).toContain('<table class="entries">');
      const cells = [...part.matchAll(/<td(?: class="nowrap")? data-label="([^"]*)">/g)].map((m) => m[1]);
      expect(cells).toHaveLength(s.rows.length * s.columns.length);
      expect(cells).toEqual(s.rows.flatMap(() => s.columns.map(escapeHtml)));
      expect(part).not.toMatch(/<td>/);
    }
    expect(html).toMatch(/@media screen and \(max-width: 60rem\) \{[^]*table\.entries td::before \{ content: attr\(data-label\);/);
    // Words break where a line cannot hold them, not anywhere; print keeps the tables.
    expect(html).not.toContain('overflow-wrap: anywhere');
    expect(html).toMatch(/th, td \{[^}]*overflow-wrap: break-word; hyphens: auto;/);
    expect(html).not.toMatch(/@media print \{[^}]*table\.entries/);
  });

  it('leaves out the withheld entries where the holder does not show them, and shows a count where it does', () => {
    for (const language of REPORT_LANGUAGES) {
      const m = REPORT_MESSAGES[language];
      const hidden = renderAccessReportHtml({ ...sampleReport(), language, withheld: null });
      expect(hidden).not.toContain('section-withheld');
      expect(hidden).not.toContain(m['section.withheld']);
      expect(hidden).not.toContain(m['field.withheldCount']);
      const shown = renderAccessReportHtml({ ...sampleReport(), language, withheld: { count: 3 } });
      expect(shown).toContain(`<h2 id="section-withheld">${m['section.withheld']}</h2>`);
      expect(shown).toContain(`<th scope="row">${m['field.withheldCount']}</th><td>3</td>`);
    }
  });
});
