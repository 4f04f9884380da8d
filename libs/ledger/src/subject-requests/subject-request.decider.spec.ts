import type { Register } from '@derbes/register';
import type { Actor, ProcessingRecorded, SubjectEvent } from '../processing-record.events';
import { categoryStatusAt, evolve, initialSubjectState, type SubjectState } from '../subject-state';
import {
  SubjectRequestError,
  decideAnswer,
  decideReceive,
  decideRefuse,
  decideRetime,
  type ReceiveRequest,
} from './subject-request.decider';
import type { RequestDeadline } from './subject-request.events';
import { derivedUuid } from '../derived-uuid';

const official: Actor = { id: 'hr-director', role: 'responsible-official', unit: 'personnel-management' };
const calendar = { id: 'kz-working-days', version: '1', fingerprint: 'f'.repeat(64) };
const deadline = (date: string): RequestDeadline => ({ date, workingDays: 1, firstDay: 'after-receipt', coverage: 'verified', calendar });
const register = { id: 'mineco-328-O', version: 1, order: { number: '328-Ө' }, purposes: [], categories: [{ number: 1 }, { number: 13 }] } as unknown as Register;
const context = { register, adequateCountries: new Set<string>(), lateness: (d: string, on: string) => (on > d ? 2 : 0) };

function receive(overrides: Partial<ReceiveRequest> = {}): ReceiveRequest {
  return {
    requestId: 'q-1', subjectId: 's'.repeat(64), subjectMask: '7**********8', kind: 'blocking', channel: 'paper' as never,
    receivedAt: '2026-03-20T10:00:00.000Z', registeredBy: official, categories: [{ number: 13, slug: 'medical-results' }],
    detail: null, deadline: deadline('2026-03-26'), ...overrides,
  };
}

const given = (...events: SubjectEvent[]): SubjectState => events.reduce(evolve, initialSubjectState);

describe('subject request decider', () => {
  it('receives a request and opens it with its deadline', () => {
    const [received] = decideReceive(receive(), initialSubjectState);
    expect(received?.type).toBe('SubjectRequestReceived');
    const state = given(received!);
    expect(state.requests.get('q-1')).toMatchObject({ kind: 'blocking', status: 'open', deadline: { date: '2026-03-26' } });
  });

  it('refuses a repeated request id, acting kinds without categories and information requests with them', () => {
    const state = given(...decideReceive(receive(), initialSubjectState));
    expect(() => decideReceive(receive(), state)).toThrow(expect.objectContaining({ code: 'request_exists' }));
    expect(() => decideReceive(receive({ requestId: 'q-2', categories: [] }), state)).toThrow(expect.objectContaining({ code: 'categories_required', field: 'categories' }));
    expect(() => decideReceive(receive({ requestId: 'q-3', kind: 'information' }), state)).toThrow(expect.objectContaining({ code: 'categories_not_allowed' }));
  });

  it('carries out a blocking request in the same append: a block record with the request id, then the answer', () => {
    const state = given(...decideReceive(receive(), initialSubjectState));
    const events = decideAnswer({
      requestId: 'q-1', subjectId: 's'.repeat(64), answeredAt: '2026-03-26T09:00:00.000Z', answeredBy: official, report: null, note: null,
    }, state, { ...context, answeredOn: '2026-03-26' });
    expect(events.map((e) => e.type)).toEqual(['ProcessingRecorded', 'SubjectRequestAnswered']);
    const record = events[0] as ProcessingRecorded;
    expect(record.data).toMatchObject({
      recordId: derivedUuid('q-1/block'), operation: 'block', requestId: 'q-1', subjectMask: '7**********8',
      purpose: { code: 'SUBJECT-RIGHTS' }, categories: [{ number: 13 }], violations: [],
    });
    expect(record.data.recordId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(events[1]?.data).toMatchObject({ records: [record.data.recordId], late: false, workingDaysLate: 0, deadline: '2026-03-26' });
    const after = given(...decideReceive(receive(), initialSubjectState), ...events);
    expect(categoryStatusAt(after.categories.get(13)).blockedAt).toBe('2026-03-26T09:00:00.000Z');
    expect(after.requests.get('q-1')?.status).toBe('answered');
  });

  it("carries out a change request on data the subject had blocked without flagging it: it is their own request", () => {
    const answer = (requestId: string, answeredAt: string, state: SubjectState) => decideAnswer({
      requestId, subjectId: 's'.repeat(64), answeredAt, answeredBy: official, report: null, note: null,
    }, state, { ...context, answeredOn: answeredAt.slice(0, 10) });
    const received = decideReceive(receive(), initialSubjectState);
    const blocked = answer('q-1', '2026-03-23T09:00:00.000Z', given(...received));
    const changeAsked = decideReceive(receive({ requestId: 'q-2', kind: 'change', receivedAt: '2026-03-24T10:00:00.000Z' }), given(...received, ...blocked));
    const state = given(...received, ...blocked, ...changeAsked);
    expect(categoryStatusAt(state.categories.get(13)).blockedAt).toBe('2026-03-23T09:00:00.000Z');
    const [change] = answer('q-2', '2026-03-25T09:00:00.000Z', state);
    expect(change?.data).toMatchObject({ operation: 'change', requestId: 'q-2', violations: [] });
  });

  it('maps each acting kind to its operation', () => {
    for (const [kind, operation] of [['change', 'change'], ['unblocking', 'unblock'], ['destruction', 'destroy']] as const) {
      const state = given(...decideReceive(receive({ kind }), initialSubjectState));
      const [record] = decideAnswer({ requestId: 'q-1', subjectId: 's'.repeat(64), answeredAt: '2026-03-26T09:00:00.000Z', answeredBy: official, report: null, note: null },
        state, { ...context, answeredOn: '2026-03-26' });
      expect(record?.data).toMatchObject({ operation });
    }
  });

  it('answers an information request with the report digest and no processing record', () => {
    const state = given(...decideReceive(receive({ kind: 'information', categories: [] }), initialSubjectState));
    const events = decideAnswer({
      requestId: 'q-1', subjectId: 's'.repeat(64), answeredAt: '2026-03-30T09:00:00.000Z', answeredBy: official,
      report: { language: 'kk', sha256: 'a'.repeat(64) }, note: null,
    }, state, { ...context, answeredOn: '2026-03-30' });
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({ report: { language: 'kk' }, records: [], late: true, workingDaysLate: 2 });
  });

  it('records a late refusal as late, and closes the request for good', () => {
    const state = given(...decideReceive(receive(), initialSubjectState));
    const refused = decideRefuse({ requestId: 'q-1', subjectId: 's'.repeat(64), refusedAt: '2026-03-31T09:00:00.000Z', refusedBy: official, reasons: ['not confirmed'] },
      state, { lateness: context.lateness, refusedOn: '2026-03-31' });
    expect(refused[0]?.data).toMatchObject({ late: true, workingDaysLate: 2, reasons: ['not confirmed'] });
    const closed = given(...decideReceive(receive(), initialSubjectState), ...refused);
    expect(() => decideRefuse({ requestId: 'q-1', subjectId: 's', refusedAt: 'x', refusedBy: official, reasons: ['again'] }, closed, { lateness: context.lateness, refusedOn: '2026-04-01' }))
      .toThrow(expect.objectContaining({ code: 'request_closed' }));
    expect(() => decideAnswer({ requestId: 'q-9', subjectId: 's', answeredAt: 'x', answeredBy: official, report: null, note: null }, closed, { ...context, answeredOn: '2026-04-01' }))
      .toThrow(SubjectRequestError);
  });

  it('re-times an open request only when the date moves', () => {
    const state = given(...decideReceive(receive(), initialSubjectState));
    expect(decideRetime('q-1', 's', deadline('2026-03-26'), '2026-03-21T00:00:00Z', 'calendar corrected', state)).toEqual([]);
    const moved = decideRetime('q-1', 's', deadline('2026-03-27'), '2026-03-21T00:00:00Z', 'calendar corrected', state);
    expect(moved[0]?.data).toMatchObject({ previous: { date: '2026-03-26' }, deadline: { date: '2026-03-27' } });
    expect(given(...decideReceive(receive(), initialSubjectState), ...moved).requests.get('q-1')?.deadline.date).toBe('2026-03-27');
    expect(decideRetime('q-7', 's', deadline('2026-03-27'), 'x', 'r', state)).toEqual([]);
  });

  it('does not re-time a request already answered or refused: its deadline was the one it was judged by', () => {
    const received = decideReceive(receive(), initialSubjectState);
    const answered = decideAnswer({ requestId: 'q-1', subjectId: 's'.repeat(64), answeredAt: '2026-03-25T09:00:00.000Z', answeredBy: official, report: null, note: null },
      given(...received), { ...context, answeredOn: '2026-03-25' });
    const refused = decideRefuse({ requestId: 'q-1', subjectId: 's'.repeat(64), refusedAt: '2026-03-25T09:00:00.000Z', refusedBy: official, reasons: ['not confirmed'] },
      given(...received), { lateness: context.lateness, refusedOn: '2026-03-25' });
    for (const closing of [answered, refused]) {
      expect(decideRetime('q-1', 's', deadline('2026-03-27'), '2026-03-26T00:00:00Z', 'calendar corrected', given(...received, ...closing))).toEqual([]);
    }
  });
});
