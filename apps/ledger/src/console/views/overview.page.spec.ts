import type { Lang } from '@derbes/register';
import type { UnusualActivityDto } from '../../reports/actor-activity.dto';
import type { DescribedSystemReport } from '../../reports/source-systems.query';
import { overviewPage, type OverviewInput } from './overview.page';
import { NAMES, specView } from './spec-helpers';

const unusual = (actorId: string, unit: string): UnusualActivityDto => ({
  actorId, unit, day: '2026-11-24', kind: 'subjects', count: 25, minimum: 20, ownBaseline: 0, unitUsual: 0, unitSameDay: 0, unitBaseline: 0,
  factor: 3, windowDays: 30, reason: 'the rule',
});
const neverReported = (system: string): DescribedSystemReport => ({
  system, expected: true, maxSilenceSeconds: 3600, lastSeenAt: null, state: null, alerts: [{ kind: 'never-reported', since: null, detail: 'never' }],
});

const INPUT: OverviewInput = {
  perDay: { id: 'per-day', label: 'Records per day', xLabel: 'Day', yLabel: 'Records', days: [], series: [] },
  topCategories: [], topPurposes: [],
  violations: { items: [], counts: { reasons: 0, records: 0, byReason: {}, byUnit: {} }, nextCursor: null, position: 9 },
  unusual: [unusual('hr-99', 'personnel-management'), unusual('tc-1', 'training-center')],
  systems: [neverReported('payroll'), neverReported('hr-portal')],
  systemsAt: '2026-11-25T06:00:00.000Z', dueToday: [], overdue: [], asOf: '2026-11-25T06:00:00.000Z', refreshSeconds: 60,
};

const page = (lang: Lang) => overviewPage(specView(lang, '/console/overview'), INPUT);
/** The items of the card headed by `id`. */
const items = (markup: string, id: string) =>
  [...(markup.split(`aria-labelledby="${id}"`)[1] ?? '').split('</section>')[0]!.matchAll(/<li>.*?<\/li>/gs)].map((m) => m[0]);

describe('the overview page', () => {
  it("names the unit of each unusual day in the page's language, the code in the title; a code without a name as it is", () => {
    const [named, bare] = items(page('ru'), 'unusual-h');
    expect(named).toContain('<strong>hr-99</strong> (<span title="personnel-management">Управление персоналом</span>), 2026-11-24');
    expect(bare).toContain('<strong>tc-1</strong> (training-center), 2026-11-24');
    expect(items(page('kk'), 'unusual-h')[0]).toContain(`(<span title="personnel-management">${NAMES.name('units', 'personnel-management', 'kk')}</span>)`);
  });

  it('names each silent system the same way, its alert still worded with the code', () => {
    const [named, bare] = items(page('en'), 'silent-h');
    expect(named).toContain('<strong><span title="payroll">Payroll system</span></strong>: payroll is expected to report');
    expect(bare).toContain('<strong>hr-portal</strong>: hr-portal is expected to report');
    expect(items(page('ru'), 'silent-h')[0]).toContain(`<strong><span title="payroll">${NAMES.name('systems', 'payroll', 'ru')}</span></strong>`);
  });
});
