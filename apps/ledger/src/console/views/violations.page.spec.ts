import type { Lang } from '@derbes/register';
import type { ViolationItemDto, ViolationsReportDto } from '../../reports/violations.dto';
import { NAMES, specView } from './spec-helpers';
import { violationsPage } from './violations.page';

function item(actor: ViolationItemDto['actor'], system: string, embargoUntil: string | null = null): ViolationItemDto {
  return {
    position: 3, recordId: 'r-1', subjectId: 'a'.repeat(64), occurredAt: '2026-11-24T06:00:00.000Z', operation: 'transfer', purpose: 'P01',
    code: 'cross-border-without-ground', category: null, detail: 'transfer to US without a consent or treaty reference', since: null,
    register: null, country: 'US', actor, system, embargoUntil,
  };
}

const REPORT: ViolationsReportDto = {
  items: [
    item({ id: 'hr-99', role: 'hr-specialist', unit: 'personnel-management' }, 'payroll', '2027-03-01'),
    item({ id: 'tc-1', role: 'trainer', unit: 'training-center' }, 'hr-portal'),
  ],
  counts: { reasons: 2, records: 2, byReason: { 'cross-border-without-ground': 2 }, byUnit: { 'personnel-management': 1, 'training-center': 1 } },
  nextCursor: 'next', position: 9,
};

const FILTERS = { unit: 'personnel-management', system: 'payroll' };
const page = (lang: Lang, today = '2026-11-27') => violationsPage(specView(lang, '/console/violations?unit=personnel-management&system=payroll'), REPORT, FILTERS, today);
const rows = (markup: string) => [...markup.matchAll(/<tr><td>.*?<\/tr>/gs)].map((m) => m[0]);

describe('the violations page', () => {
  it("names each record's unit and system in the page's language, the code in the title; a code without a name as it is", () => {
    const [named, bare] = rows(page('ru'));
    expect(named).toContain('<td>hr-99 (<span title="personnel-management">Управление персоналом</span>)</td>');
    expect(named).toContain('<td><span title="payroll">Система расчёта зарплаты</span></td>');
    expect(bare).toContain('<td>tc-1 (training-center)</td><td>hr-portal</td>');
    const [kk] = rows(page('kk'));
    expect(kk).toContain(`<span title="personnel-management">${NAMES.name('units', 'personnel-management', 'kk')}</span>`);
    expect(kk).toContain(`<span title="payroll">${NAMES.name('systems', 'payroll', 'kk')}</span>`);
  });

  // The subject's own report leaves such a record out: the officials reading the violations must know it.
  it('says of a record withheld from its subject until when, in the page\'s language, and nothing of one without an embargo', () => {
    const [en, bare] = rows(page('en'));
    expect(en).toContain("<td>transfer to US without a consent or treaty reference<br><strong class=\"embargo\">withheld from the person&#39;s access report until 1 March 2027</strong></td>");
    expect(bare).toContain('<td>transfer to US without a consent or treaty reference</td>');
    expect(bare).not.toContain('embargo');
    expect(rows(page('ru'))[0]).toContain('<strong class="embargo">скрыто из отчёта о доступе субъекта до 01.03.2027</strong>');
    expect(rows(page('kk'))[0]).toContain('<strong class="embargo">субъектінің қолжетімділік туралы есебінен жасырылған (мерзімі: 2027 ж. 1 наурыз)</strong>');
  });

  it('says of an embargo whose date has come that it ended: the person sees the record now', () => {
    const [en] = rows(page('en', '2027-03-01'));
    expect(en).toContain('<br><span class="embargo-ended">was withheld from the person&#39;s access report until 1 March 2027; shown to them since</span>');
    expect(en).not.toContain('<strong class="embargo">');
    expect(rows(page('en', '2027-02-28'))[0]).toContain('<strong class="embargo">withheld');
  });

  it('names the units of the counts the same way', () => {
    const byUnit = /<section class="card" aria-labelledby="by-unit-h">.*?<\/section>/s.exec(page('en'))?.[0];
    expect(byUnit).toContain('<li><span title="personnel-management">Personnel management</span>: <strong>1</strong></li>');
    expect(byUnit).toContain('<li>training-center: <strong>1</strong></li>');
  });

  it('keeps the filters and the next page as codes', () => {
    const markup = page('en');
    expect(markup).toContain('name="unit" type="text" value="personnel-management"');
    expect(markup).toContain('name="system" type="text" value="payroll"');
    expect(markup).toMatch(/href="[^"]*unit=personnel-management&amp;system=payroll[^"]*cursor=next"/);
  });
});
