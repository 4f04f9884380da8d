import { requestRowDifference } from './report-rows';

const received = (requestId: string, kind = 'information') => ({
  type: 'SubjectRequestReceived',
  data: { requestId, kind, channel: 'egov', receivedAt: '2026-04-02T09:00:00.000Z', deadline: { date: '2026-04-16' } },
});
const answered = (requestId: string) => ({
  type: 'SubjectRequestAnswered', data: { requestId, answeredAt: '2026-04-03T09:00:00.000Z', late: false, workingDaysLate: 0 },
});
const open = {
  requestId: 'r-1', kind: 'information', channel: 'egov', receivedAt: '2026-04-02T09:00:00.000Z', deadline: '2026-04-16',
  status: 'open', closedAt: null, late: false, workingDaysLate: 0, reasons: [],
};
const closed = { ...open, status: 'answered', closedAt: '2026-04-03T09:00:00.000Z' };

describe('requestRowDifference', () => {
  it('folds a request row from its own events', () => {
    expect(requestRowDifference(open, [received('r-1')], false)).toBeNull();
    expect(requestRowDifference(closed, [received('r-1'), answered('r-1')], false)).toBeNull();
  });

  // Each row shows what its first event records: a second request folded into it would be shown by no row.
  it('names a row that folds a second received request, even one under the same id', () => {
    expect(requestRowDifference(open, [received('r-1'), received('r-1', 'destruction')], false)).toEqual({
      field: 'eventIds', shown: '["SubjectRequestReceived","SubjectRequestReceived"]', recorded: 'a SubjectRequestReceived first, and no other',
    });
  });

  it("names a row that folds another request's answer", () => {
    expect(requestRowDifference(closed, [received('r-1'), answered('r-2')], false)).toEqual({
      field: 'eventIds', shown: '["SubjectRequestReceived","SubjectRequestAnswered"]', recorded: 'events of request "r-1" only',
    });
  });
});
