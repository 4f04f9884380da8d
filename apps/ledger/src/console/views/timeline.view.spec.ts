import type { SubjectHistoryDto } from '../../subjects/subject-history.dto';
import { NAMES } from './spec-helpers';
import { timelineView } from './timeline.view';

const category = (number: number) => ({ number, code: `c${number}`, name: `Category ${number}` });

/** One history entry as the history query gives it; only what the timeline shows matters here. */
function entry(overrides: Record<string, unknown>): SubjectHistoryDto['items'][number] {
  return {
    eventId: '00000000-0000-4000-8000-000000000001', position: 1, revision: 0, occurredAt: '2026-11-20T09:30:00.000Z', recordedAt: '2026-11-20T09:30:00.000Z',
    operation: 'collect', categories: [category(1)], purpose: { code: 'P01', clause: 1, name: 'Staffing' },
    actor: { id: 'hr-17', role: 'hr-specialist', unit: 'personnel-management' }, system: 'hr-portal', source: null, recipient: null,
    crossBorder: false, note: null, embargoUntil: null, violations: [], ...overrides,
  } as unknown as SubjectHistoryDto['items'][number];
}


function rows(lang: 'kk' | 'ru' | 'en', items: SubjectHistoryDto['items'], today = '2026-11-27'): string[] {
  const view = { lang, utcOffsetMinutes: 300, names: NAMES, url: new URL(`http://ledger/console/subjects/x/timeline?lang=${lang}`) };
  const markup = timelineView(view, {
    history: { subjectId: 'x', lang, items, nextCursor: null, position: 9 }, filters: {},
    choices: { operations: [], categories: [], purposes: [] }, pageUrl: view.url, today,
  }).toString();
  return [...markup.matchAll(/<tr>\s*<td>[\s\S]*?<\/tr>/g)].map((m) => m[0]);
}

describe('the console timeline', () => {
  it('names the unit, role and system by their names in the page language, the code kept in the title; a code without one as it is', () => {
    const [ru] = rows('ru', [entry({})]);
    expect(ru).toContain('<td>hr-17 (<span title="hr-specialist">Специалист по кадрам</span>, <span title="personnel-management">Управление персоналом</span>)</td>');
    expect(ru).toContain('<td>hr-portal</td>');
    const [kk] = rows('kk', [entry({ system: 'derbes', actor: { id: 'a.k', role: 'official', unit: 'training-center' } })]);
    expect(kk).toContain(`(<span title="official">${NAMES.name('roles', 'official', 'kk')}</span>, training-center)`);
    expect(kk).toContain(`<td><span title="derbes">${NAMES.name('systems', 'derbes', 'kk')}</span></td>`);
  });

  // The subject's own report leaves such a record out: the official reading their file must know it.
  it('says of a record withheld from the subject until when, in the page\'s language, and nothing of one without an embargo', () => {
    const transfer = { operation: 'transfer', note: 'payroll export', recipient: { name: 'Kazpost', country: 'DE', kind: 'organization' } };
    const [en, bare] = rows('en', [entry({ ...transfer, embargoUntil: '2027-03-01' }), entry(transfer)]);
    expect(en).toContain("<td><bdi>payroll export</bdi> → <bdi>Kazpost</bdi> (DE)<br><strong class=\"embargo\">withheld from the person&#39;s access report until 1 March 2027</strong></td>");
    expect(bare).toContain('<td><bdi>payroll export</bdi> → <bdi>Kazpost</bdi> (DE)</td>');
    expect(rows('ru', [entry({ embargoUntil: '9999-12-31' })])[0]).toContain('<strong class="embargo">скрыто из отчёта о доступе субъекта до 31.12.9999</strong>');
    expect(rows('kk', [entry({ embargoUntil: '2027-03-01' })])[0]).toContain('<strong class="embargo">субъектінің қолжетімділік туралы есебінен жасырылған (мерзімі: 2027 ж. 1 наурыз)</strong>');
  });

  // The person's report shows the record from the embargo's date on (isWithheld): the page must not say it is hidden.
  it('says of an embargo that has ended (its date today or earlier) that it ended, and of one ending tomorrow that it holds', () => {
    const withEmbargo = entry({ embargoUntil: '2027-03-01' });
    for (const today of ['2027-03-01', '2027-03-02']) {
      const [en] = rows('en', [withEmbargo], today);
      expect(en).toContain('<br><span class="embargo-ended">was withheld from the person&#39;s access report until 1 March 2027; shown to them since</span>');
      expect(en).not.toContain('<strong class="embargo">');
    }
    expect(rows('en', [withEmbargo], '2027-02-28')[0]).toContain('<strong class="embargo">withheld from the person&#39;s access report until 1 March 2027</strong>');
    expect(rows('ru', [withEmbargo], '2027-03-01')[0]).toContain('<span class="embargo-ended">было скрыто из отчёта о доступе субъекта до 01.03.2027; с этого дня отчёт его показывает</span>');
    expect(rows('kk', [withEmbargo], '2027-03-01')[0]).toContain('<span class="embargo-ended">субъектінің қолжетімділік туралы есебінен жасыру мерзімі 2027 ж. 1 наурыз аяқталды; сол күннен бастап есепте көрсетіледі</span>');
  });

  const wholeFile = Array.from({ length: 23 }, (_, i) => category(i + 1));
  const read = (view: string, actor = { id: 'a.k', role: 'official', unit: 'personnel-management' }) =>
    entry({ operation: 'read', categories: wholeFile, purpose: { code: 'OVERSIGHT', clause: null, name: 'Internal control' }, actor, system: 'derbes', note: `read through ${view}` });

  it('folds the categories of a read of the whole file to their numbers, and shows up to three by name', () => {
    const [whole, few] = rows('en', [read('GET /v1/subjects/{subjectId}/history'), entry({ categories: [category(1), category(2), category(28)] })]);
    expect(whole).toContain(`<details><summary>23 categories: ${wholeFile.map((c) => c.number).join(', ')}</summary>`);
    expect(few).toContain('<td>1. Category 1; 2. Category 2; 28. Category 28</td>');
    expect(few).not.toContain('<details>');
  });

  it('names the view a read came through in words, keeping the route in its title, and one it does not know as recorded', () => {
    const [link, history, other] = rows('ru', [
      read('GET /v1/access-report/{token} (kk, html)', { id: 'data-subject', role: 'data-subject', unit: 'self' }),
      read('GET /console/subjects/{subjectId}/timeline'),
      read('GET /v1/somewhere/else'),
    ]);
    expect(link).toContain('<span title="GET /v1/access-report/{token} (kk, html)">просмотр через собственную ссылку на отчёт</span>');
    expect(link).toContain('<td>сам субъект</td>');
    expect(history).toContain('просмотр через историю обработки');
    expect(history).toContain('<td>a.k (<span title="official">Ответственное лицо</span>, <span title="personnel-management">Управление персоналом</span>)</td>');
    expect(other).toContain('просмотр через GET /v1/somewhere/else');
  });
});
