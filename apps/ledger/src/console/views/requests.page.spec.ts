import type { Lang } from '@derbes/register';
import type { QueueItem, QueuePage } from '../../subject-requests/request-queue.query';
import { requestsPage } from './requests.page';
import { specView } from './spec-helpers';

const request = (requestId: string, firstDay: QueueItem['firstDay']): QueueItem => ({
  requestId, subjectId: 'a'.repeat(64), kind: 'information', channel: 'egov', receivedAt: '2026-11-24T05:00:00.000Z',
  registeredUnit: 'personnel-management', categories: [], workingDays: 3, firstDay, deadline: '2026-11-27', deadlineCoverage: 'official',
  calendarFingerprint: 'f', retimed: 0, status: 'open', closedAt: null, late: null, workingDaysLate: null, reasons: [],
  dueToday: false, overdue: false, workingDaysOverdue: 0,
});

const queue = (items: QueueItem[]): QueuePage => ({ today: '2026-11-25', status: 'open', items, nextCursor: null, position: 9 });

/** The deadline cell of each row, in `lang`. */
function deadlines(lang: Lang): string[] {
  const markup = requestsPage(specView(lang, '/console/requests'), {
    open: queue([request('r-after', 'after-receipt'), request('r-on', 'receipt')]), closed: queue([]),
    categories: [], mayAct: false, draft: { requestId: 'new' },
  });
  return [...markup.matchAll(/<tr data-request="[^"]+">\s*(?:<td>[\s\S]*?<\/td>\s*){3}<td>([\s\S]*?)<\/td>/g)].map((m) => m[1]!);
}

describe('the requests page', () => {
  // A ledger whose DERBES_DEADLINE_FIRST_DAY changed holds requests of both rules: each row names its own.
  it('says under each deadline how its working days are counted, by the rule its request was received under', () => {
    expect(deadlines('en')).toEqual([
      expect.stringContaining('<span class="muted">3 working days, counted from the day after receipt</span>'),
      expect.stringContaining('<span class="muted">3 working days, counted from the day of receipt</span>'),
    ]);
    expect(deadlines('ru')).toEqual([
      expect.stringContaining('3 раб. дн., считая со дня, следующего за днём получения</span>'),
      expect.stringContaining('3 раб. дн., считая со дня получения</span>'),
    ]);
    expect(deadlines('kk')).toEqual([
      expect.stringContaining('3 жұмыс күні, алынған күннің келесі күнінен бастап есептеледі</span>'),
      expect.stringContaining('3 жұмыс күні, алынған күннен бастап есептеледі</span>'),
    ]);
  });
});
