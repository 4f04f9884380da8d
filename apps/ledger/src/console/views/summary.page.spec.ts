import { CodeNames } from '@derbes/register';
import type { Lang } from '@derbes/register';
import type { SummaryReport } from '../../reports/summary.query';
import { NAMES, specView } from './spec-helpers';
import { summaryPage } from './summary.page';

const REPORT: SummaryReport = {
  from: '2026-11-01', to: '2026-11-25', utcOffsetMinutes: 300, groupBy: ['category', 'operation'], lang: 'ru',
  rows: [{ category: '1', categoryName: 'Фамилия, имя, отчество', operation: 'collect', records: 1, subjects: 1 }],
  totals: { records: 1, subjects: 1 }, truncated: false, position: 7,
};

function page(lang: Lang): string {
  const view = { lang, utcOffsetMinutes: 300, names: new CodeNames(), url: new URL(`http://ledger/console/summary?lang=${lang}`) };
  return summaryPage(view, { ...REPORT, lang }, { from: REPORT.from, to: REPORT.to, groupBy: REPORT.groupBy });
}

/** Grouped by unit and system, one row whose codes have names and one whose codes have none. */
const BY_UNIT: SummaryReport = {
  ...REPORT, groupBy: ['unit', 'system', 'actor'],
  rows: [
    { unit: 'personnel-management', system: 'payroll', actor: 'hr-99', records: 2, subjects: 1 },
    { unit: 'training-center', system: 'hr-portal', actor: 'tc-1', records: 1, subjects: 1 },
  ],
};

function byUnitPage(lang: Lang): string {
  return summaryPage(specView(lang, '/console/summary'), { ...BY_UNIT, lang }, { from: BY_UNIT.from, to: BY_UNIT.to, groupBy: BY_UNIT.groupBy });
}

const rows = (markup: string) => [...markup.matchAll(/<tr><td>.*?<\/tr>/gs)].map((m) => m[0]);

const choices = (markup: string) => [...markup.matchAll(/<label class="inline" for="g-\w+">([^<]*)<\/label>/g)].map((m) => m[1]);
const headers = (markup: string) => [...markup.matchAll(/<th scope="col"[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);

describe('the summary page', () => {
  it("names the grouping keys and the columns in the reader's language, and words the totals by their numbers", () => {
    expect(choices(page('ru'))).toEqual(['Категория', 'Цель', 'Операция', 'Подразделение', 'Система', 'Сотрудник', 'День', 'Месяц']);
    expect(headers(page('ru'))).toEqual(['Категория', 'Название категории', 'Операция', 'Записи', 'Субъекты']);
    expect(page('ru')).toContain('1 запись о 1 субъекте');
    expect(choices(page('kk'))).toEqual(['Санат', 'Мақсат', 'Операция', 'Бөлімше', 'Жүйе', 'Қызметкер', 'Күн', 'Ай']);
    expect(headers(page('kk'))).toEqual(['Санат', 'Санат атауы', 'Операция', 'Жазбалар', 'Субъектілер']);
    expect(headers(page('en'))).toEqual(['Category', 'Category name', 'Operation', 'Records', 'Persons']);
    expect(page('en')).toContain('1 record about 1 person');
  });

  it('keeps the column names where a program reads them: the values the form sends and the CSV link', () => {
    const markup = page('ru');
    expect(markup).toContain('name="groupBy" value="category" checked');
    expect(markup).toContain('groupBy=category&amp;groupBy=operation');
  });

  it("names the units and systems in the reader's language, the code in the title, a code without a name as it is; the CSV link asks for the codes", () => {
    const [named, bare] = rows(byUnitPage('ru'));
    expect(named).toBe('<tr><td><span title="personnel-management">Управление персоналом</span></td><td><span title="payroll">Система расчёта зарплаты</span></td>'
      + '<td>hr-99</td><td class="num">2</td><td class="num">1</td></tr>');
    expect(bare).toBe('<tr><td>training-center</td><td>hr-portal</td><td>tc-1</td><td class="num">1</td><td class="num">1</td></tr>');
    expect(rows(byUnitPage('kk'))[0]).toContain(`<span title="payroll">${NAMES.name('systems', 'payroll', 'kk')}</span>`);
    expect(byUnitPage('en')).toContain('groupBy=unit&amp;groupBy=system&amp;groupBy=actor');
  });
});
