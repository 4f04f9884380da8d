import type { Lang } from '@derbes/register';
import type { TransferItem, TransfersReport } from '../../reports/transfers.query';
import { NAMES, specView } from './spec-helpers';
import { transfersPage } from './transfers.page';

const transfer = (actor: TransferItem['actor'], system: string, embargoUntil: string | null = null): TransferItem => ({
  position: 3, eventId: 'e-1', subjectId: 'a'.repeat(64), occurredAt: '2026-11-24T06:00:00.000Z',
  recipient: { name: 'Acme Analytics', country: 'US', kind: 'organization' }, crossBorder: true, transferGround: null,
  categories: [{ number: 28, name: 'Medical results' }], purpose: { code: 'P01', name: 'Selection' }, actor, system, violations: [], embargoUntil,
});

const REPORT: TransfersReport = {
  from: '2026-11-01', to: '2026-11-25',
  items: [
    transfer({ id: 'hr-99', role: 'hr-specialist', unit: 'personnel-management' }, 'payroll', '2027-03-01'),
    transfer({ id: 'tc-1', role: 'trainer', unit: 'training-center' }, 'hr-portal'),
  ],
  totals: { transfers: 2, crossBorder: 2, byCountry: { US: 2 }, byRecipient: { 'Acme Analytics': 2 }, toPersons: 0, recipientsTruncated: false },
  nextCursor: null, position: 9,
};

const page = (lang: Lang, today = '2026-11-27') =>
  transfersPage(specView(lang, '/console/transfers?from=2026-11-01&to=2026-11-25'), REPORT, { from: '2026-11-01', to: '2026-11-25' }, today);
const rows = (markup: string) => [...markup.matchAll(/<tr><td>.*?<\/tr>/gs)].map((m) => m[0]);

describe('the transfers page', () => {
  it("names the unit of whoever transferred in the page's language, the code in the title; a code without a name as it is", () => {
    const [named, bare] = rows(page('ru'));
    expect(named).toContain('<td>hr-99 (<span title="personnel-management">Управление персоналом</span>)</td>');
    expect(bare).toContain('<td>tc-1 (training-center)</td>');
    expect(rows(page('kk'))[0]).toContain(`<td>hr-99 (<span title="personnel-management">${NAMES.name('units', 'personnel-management', 'kk')}</span>)</td>`);
  });

  it("shows the system each transfer came from, by its name in the page's language, the code in the title; a code without a name as it is", () => {
    const [named, bare] = rows(page('en'));
    expect(page('en')).toContain('<th scope="col">System</th>');
    expect(named).toContain('(<span title="personnel-management">Personnel management</span>)</td><td><span title="payroll">Payroll system</span></td>');
    expect(bare).toContain('<td>tc-1 (training-center)</td><td>hr-portal</td>');
    expect(rows(page('kk'))[0]).toContain(`<td><span title="payroll">${NAMES.name('systems', 'payroll', 'kk')}</span></td>`);
  });

  // The person's own report leaves an embargoed transfer out: the official reading the transfers must know it.
  it('says of a transfer withheld from its subject until when, that an ended embargo ended, and nothing of one without', () => {
    const [withheld, bare] = rows(page('en'));
    expect(withheld).toContain('<td>Acme Analytics<br><strong class="embargo">withheld from the person&#39;s access report until 1 March 2027</strong></td>');
    expect(bare).toContain('<td>Acme Analytics</td>');
    expect(rows(page('ru'))[0]).toContain('<strong class="embargo">скрыто из отчёта о доступе субъекта до 01.03.2027</strong>');
    expect(rows(page('en', '2027-03-01'))[0]).toContain('<span class="embargo-ended">was withheld from the person&#39;s access report until 1 March 2027; shown to them since</span>');
  });
});
