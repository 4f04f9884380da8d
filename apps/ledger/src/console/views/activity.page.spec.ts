import type { Lang } from '@derbes/register';
import type { ActorActivityDto, ActorActivityReportDto, UnusualActivityDto } from '../../reports/actor-activity.dto';
import { activityPage } from './activity.page';
import { NAMES, specView } from './spec-helpers';

const actor = (actorId: string, role: string, unit: string): ActorActivityDto => ({
  actorId, role, unit, subjects: 25, records: 25, sensitiveAccesses: 0, sensitiveCategories: [],
  recordsByOperation: { collect: 25, access: 0, change: 0, transfer: 0, block: 0, unblock: 0, depersonalize: 0, destroy: 0, read: 0 },
});
const unusual = (actorId: string, unit: string): UnusualActivityDto => ({
  actorId, unit, day: '2026-11-24', kind: 'subjects', count: 25, minimum: 20, ownBaseline: 0, unitUsual: 0, unitSameDay: 0, unitBaseline: 0,
  factor: 3, windowDays: 30, reason: 'the rule',
});

const REPORT: ActorActivityReportDto = {
  from: '2026-11-01', to: '2026-11-25', lang: 'ru', rule: { minSubjects: 20, minSensitive: 10, factor: 3, windowDays: 30 },
  actors: [actor('hr-99', 'hr-specialist', 'personnel-management'), actor('tc-1', 'trainer', 'training-center')],
  unusual: [unusual('hr-99', 'personnel-management'), unusual('tc-1', 'training-center')],
  position: 9,
};

const FILTERS = { from: '2026-11-01', to: '2026-11-25', unit: 'personnel-management' };
const page = (lang: Lang) => activityPage(specView(lang, '/console/activity?from=2026-11-01&to=2026-11-25&unit=personnel-management'), REPORT, FILTERS);
/** The body rows of the page's n-th table. */
const rows = (markup: string, n: number) => [...(markup.split('<tbody>')[n + 1] ?? '').split('</tbody>')[0]!.matchAll(/<tr>.*?<\/tr>/gs)].map((m) => m[0]);

describe('the activity page', () => {
  it("names the unit of each unusual day in the page's language, the code in the title; a code without a name as it is", () => {
    const [named, bare] = rows(page('ru'), 0);
    expect(named).toContain('<th scope="row">hr-99</th><td><span title="personnel-management">Управление персоналом</span></td>');
    expect(bare).toContain('<th scope="row">tc-1</th><td>training-center</td>');
  });

  it("names each actor's role and unit the same way", () => {
    const [named, bare] = rows(page('kk'), 1);
    expect(named).toContain(`<th scope="row">hr-99 (<span title="hr-specialist">${NAMES.name('roles', 'hr-specialist', 'kk')}</span>)</th>`
      + `<td><span title="personnel-management">${NAMES.name('units', 'personnel-management', 'kk')}</span></td>`);
    expect(bare).toContain('<th scope="row">tc-1 (trainer)</th><td>training-center</td>');
    expect(rows(page('en'), 1)[0]).toContain('(<span title="hr-specialist">HR specialist</span>)');
  });

  it('keeps the unit filter as a code', () => {
    expect(page('en')).toContain('name="unit" type="text" value="personnel-management"');
  });
});
