import type { Register } from '@derbes/register';
import type { RecordProcessing } from './processing-record.command';
import { decide, type DecideContext } from './processing-record.decider';
import type { ProcessingRecorded, ViolationCode } from './processing-record.events';
import { evolve, initialSubjectState, type SubjectState } from './subject-state';

const names = (en: string) => ({ kk: en, ru: en, en });

/** A small register: categories 1, 2 and 28; purposes P01 and P07; category 28 approved only for P07. */
const register = {
  id: 'test-list',
  version: 1,
  owner: 'test',
  purposes: [
    { code: 'P01', slug: 'staffing', clause: 1, names: names('staffing'), legalActs: ['L1'] },
    { code: 'P07', slug: 'investigations', clause: 5, names: names('investigations'), legalActs: ['L1', 'L3'] },
  ],
  categories: [
    { number: 1, slug: 'full-name', names: names('name'), subFields: [], tier: 'O', sensitive: false },
    { number: 2, slug: 'iin', names: names('iin'), subFields: [], tier: 'R', sensitive: false },
    { number: 28, slug: 'medical-results', names: names('medical'), subFields: [], tier: 'S', sensitive: true, purposes: ['P07'] },
  ],
  legalActs: [
    { code: 'L1', titles: names('Labour Code'), kind: names('code'), date: null, number: null, registrationNumber: null },
    { code: 'L3', titles: names('Decree'), kind: names('decree'), date: null, number: null, registrationNumber: null },
  ],
  order: { number: 'T-1' },
} as unknown as Register;

const context: DecideContext = { register, adequateCountries: new Set(['BY']) };

let seq = 0;
function record(overrides: Partial<RecordProcessing> = {}): RecordProcessing {
  seq++;
  return {
    recordId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    subjectId: 'a'.repeat(64),
    operation: 'access',
    categories: [{ number: 1, slug: 'full-name' }],
    purpose: { code: 'P01', slug: 'staffing' },
    actor: { id: 'hr-17', role: 'hr-specialist', unit: 'personnel-management' },
    system: 'hr-portal',
    occurredAt: '2026-11-20T09:30:00.000Z',
    source: null,
    recipient: null,
    transferGround: null,
    note: null,
    embargoUntil: null,
    subjectMask: null,
    requestId: null,
    sourceSequence: null,
    ...overrides,
  };
}

/** given: the records already in the stream; when: a new record; then: the codes it is flagged with. */
function given(...history: RecordProcessing[]) {
  let state: SubjectState = initialSubjectState;
  for (const past of history) {
    for (const event of decide(past, state, context)) state = evolve(state, event);
  }
  return {
    when(command: RecordProcessing, ctx: DecideContext = context) {
      const events = decide(command, state, ctx);
      return {
        events,
        thenViolations(...codes: ViolationCode[]) {
          expect(events).toHaveLength(1);
          expect((events[0] as ProcessingRecorded).data.violations.map((v) => v.code)).toEqual(codes);
        },
      };
    },
  };
}

const cat28 = [{ number: 28, slug: 'medical-results' }];
const cat1 = [{ number: 1, slug: 'full-name' }];

describe('processing record decider', () => {
  it("carries the source system's number of the record into the event, and null when it sent none", () => {
    expect(given().when(record({ sourceSequence: 42 })).events[0]?.data.sourceSequence).toBe(42);
    expect(given().when(record()).events[0]?.data.sourceSequence).toBeNull();
  });

  it('records an allowed record with its legal basis and no violations', () => {
    const { events } = given().when(record({ operation: 'collect', source: { kind: 'subject' } }));
    expect(events).toEqual([
      expect.objectContaining({
        type: 'ProcessingRecorded',
        data: expect.objectContaining({
          operation: 'collect',
          purpose: { code: 'P01', slug: 'staffing', clause: 1 },
          register: { id: 'test-list', version: 1, order: 'T-1' },
          legalBasis: ['L1'],
          crossBorder: false,
          violations: [],
        }),
      }),
    ]);
  });

  it('flags, and still records, a record when no register is in force', () => {
    const { events } = given().when(record(), { register: undefined, adequateCountries: new Set() });
    expect(events[0]?.data.register).toBeNull();
    expect(events[0]?.data.legalBasis).toEqual([]);
    expect(events[0]?.data.purpose.clause).toBeNull();
    given().when(record(), { register: undefined, adequateCountries: new Set() }).thenViolations('no-register-in-force');
  });

  it("gives the ledger's records carrying out a subject's request the statute as their legal basis, and no other record", () => {
    const rights = { operation: 'block' as const, purpose: { code: 'SUBJECT-RIGHTS', slug: 'subject-rights' }, system: 'derbes' };
    const legalBasisOf = (command: RecordProcessing, ctx?: DecideContext) => (given().when(command, ctx).events[0] as ProcessingRecorded).data.legalBasis;
    expect(legalBasisOf(record({ ...rights, requestId: 'q-7' }))).toEqual(['LAW-94-V-ART-24-25']);
    expect(legalBasisOf(record({ ...rights, requestId: 'q-7' }), { register: undefined, adequateCountries: new Set() })).toEqual(['LAW-94-V-ART-24-25']);
    expect(legalBasisOf(record({ ...rights, requestId: null }))).toEqual([]);
  });

  it('flags a category that the register in force does not list', () => {
    given().when(record({ categories: [{ number: 30, slug: 'pension' }] })).thenViolations('category-not-in-register');
  });

  it('flags a purpose not in the register, and one not approved for the category', () => {
    given().when(record({ purpose: { code: 'P12', slug: 'awards' } })).thenViolations('purpose-not-in-register');
    given().when(record({ categories: cat28 })).thenViolations('purpose-not-approved-for-category');
    given().when(record({ categories: cat28, purpose: { code: 'P07', slug: 'investigations' } })).thenViolations();
  });

  it('flags a purpose not in the register on a category that restricts its purposes once, as not in the register', () => {
    // No purpose found to compare with the category's list: the record is flagged for the purpose, not thrown out.
    given().when(record({ categories: cat28, purpose: { code: 'P12', slug: 'awards' } })).thenViolations('purpose-not-in-register');
    const rights = { purpose: { code: 'SUBJECT-RIGHTS', slug: 'subject-rights' }, system: 'derbes', requestId: 'q-9' };
    given().when(record({ operation: 'block', categories: cat28, ...rights })).thenViolations();
  });

  it('flags any operation on destroyed data, including a second destroy and a new collect', () => {
    const destroyed = record({ operation: 'destroy' });
    given(destroyed).when(record({ operation: 'access' })).thenViolations('category-destroyed');
    given(destroyed).when(record({ operation: 'destroy' })).thenViolations('category-destroyed');
    given(destroyed).when(record({ operation: 'collect', source: { kind: 'subject' } })).thenViolations('category-destroyed');
    given(destroyed).when(record({ categories: [{ number: 2, slug: 'iin' }] })).thenViolations();
  });

  it('says from when a category was destroyed, depersonalized or blocked (`since`), and nothing of the kind on other reasons', () => {
    const at = (occurredAt: string, operation: RecordProcessing['operation']) => record({ operation, occurredAt });
    const sinceOf = (events: readonly unknown[]) => (events[0] as ProcessingRecorded).data.violations.map((v) => [v.code, v.since]);
    expect(sinceOf(given(at('2026-03-01T10:00:00Z', 'destroy')).when(record()).events)).toEqual([['category-destroyed', '2026-03-01T10:00:00Z']]);
    expect(sinceOf(given(at('2026-04-02T00:00:00Z', 'depersonalize')).when(record()).events)).toEqual([['category-depersonalized', '2026-04-02T00:00:00Z']]);
    expect(sinceOf(given(at('2026-05-03T08:15:00Z', 'block')).when(record()).events)).toEqual([['blocked-data-processed', '2026-05-03T08:15:00Z']]);
    expect(sinceOf(given().when(record({ categories: cat28 })).events)).toEqual([['purpose-not-approved-for-category', undefined]]);
  });

  it('flags any operation on depersonalized data', () => {
    given(record({ operation: 'depersonalize' })).when(record({ operation: 'change' })).thenViolations('category-depersonalized');
  });

  it('keeps the first depersonalization as `since` when the data is depersonalized again', () => {
    const at = (occurredAt: string, operation: RecordProcessing['operation'] = 'access') => record({ operation, occurredAt });
    const { events } = given(at('2026-04-02T00:00:00.000Z', 'depersonalize'), at('2026-05-02T00:00:00.000Z', 'depersonalize')).when(at('2026-06-01T00:00:00.000Z'));
    expect((events[0] as ProcessingRecorded).data.violations.map((v) => [v.code, v.since])).toEqual([['category-depersonalized', '2026-04-02T00:00:00.000Z']]);
  });

  it('flags processing of blocked data until it is unblocked', () => {
    const block = record({ operation: 'block' });
    given(block).when(record({ operation: 'access' })).thenViolations('blocked-data-processed');
    given(block).when(record({ operation: 'change' })).thenViolations('blocked-data-processed');
    given(block).when(record({ operation: 'unblock' })).thenViolations();
    given(block).when(record({ operation: 'destroy' })).thenViolations();
    given(block).when(record({ operation: 'block' })).thenViolations(); // blocking again is no processing of blocked data
    given(block, record({ operation: 'unblock' })).when(record({ operation: 'access' })).thenViolations();
    given(block).when(record({ categories: [{ number: 2, slug: 'iin' }] })).thenViolations();
  });

  it('judges a record on the marks in force when it happened, not on those that arrived before it', () => {
    const at = (occurredAt: string, operation: RecordProcessing['operation'] = 'access') => record({ operation, occurredAt });
    const collected = at('2026-02-01T09:00:00.000Z', 'collect');
    // A February access reported after the March destruction was not processing of destroyed data; one of April was.
    given(collected, at('2026-03-01T09:00:00.000Z', 'destroy')).when(at('2026-02-15T09:00:00.000Z')).thenViolations();
    given(collected, at('2026-03-01T09:00:00.000Z', 'destroy')).when(at('2026-04-01T09:00:00.000Z')).thenViolations('category-destroyed');
    // The destruction's own instant counts as destroyed.
    given(at('2026-03-01T09:00:00.000Z', 'destroy')).when(at('2026-03-01T09:00:00.000Z')).thenViolations('category-destroyed');
    // A destruction reported late, dated before processing already in the ledger, still marks what comes after it.
    given(at('2026-04-01T09:00:00.000Z'), at('2026-03-01T09:00:00.000Z', 'destroy')).when(at('2026-03-15T09:00:00.000Z'))
      .thenViolations('category-destroyed');
    given(at('2026-03-01T09:00:00.000Z', 'depersonalize')).when(at('2026-02-28T23:59:59.999Z')).thenViolations();
    given(at('2026-03-01T09:00:00.000Z', 'depersonalize')).when(at('2026-03-02T00:00:00.000Z')).thenViolations('category-depersonalized');
  });

  it('takes a collect after a destruction or depersonalization as new data: it is flagged, what follows it is not', () => {
    const at = (occurredAt: string, operation: RecordProcessing['operation'] = 'access') =>
      record({ operation, occurredAt, ...(operation === 'collect' && { source: { kind: 'subject' as const } }) });
    const destroyed = at('2026-03-01T09:00:00.000Z', 'destroy');
    const hiredAgain = at('2027-01-10T09:00:00.000Z', 'collect');
    given(destroyed).when(hiredAgain).thenViolations('category-destroyed');
    given(destroyed, hiredAgain).when(at('2027-02-01T09:00:00.000Z')).thenViolations();
    // Between the destruction and the new collect, and after a second destruction, the data is destroyed.
    given(destroyed, hiredAgain).when(at('2026-06-01T09:00:00.000Z')).thenViolations('category-destroyed');
    given(destroyed, hiredAgain, at('2027-05-01T09:00:00.000Z', 'destroy')).when(at('2027-06-01T09:00:00.000Z')).thenViolations('category-destroyed');
    // A destruction reported late, dated between the collect and the access, still counts.
    given(hiredAgain, at('2027-01-20T09:00:00.000Z', 'destroy')).when(at('2027-02-01T09:00:00.000Z')).thenViolations('category-destroyed');
    given(at('2026-03-01T09:00:00.000Z', 'depersonalize'), hiredAgain).when(at('2027-02-01T09:00:00.000Z')).thenViolations();
    // A new collect does not lift a block.
    given(at('2026-03-01T09:00:00.000Z', 'block'), hiredAgain).when(at('2027-02-01T09:00:00.000Z')).thenViolations('blocked-data-processed');
  });

  it('keeps data blocked past an unblock dated before the block, and free between an unblock and a later block', () => {
    const at = (occurredAt: string, operation: RecordProcessing['operation'] = 'access') => record({ operation, occurredAt });
    const block = at('2026-03-01T09:00:00.000Z', 'block');
    const staleUnblock = at('2026-02-20T09:00:00.000Z', 'unblock');
    given(block, staleUnblock).when(at('2026-03-05T09:00:00.000Z')).thenViolations('blocked-data-processed');
    given(block, staleUnblock).when(at('2026-02-25T09:00:00.000Z')).thenViolations();
    const unblock = at('2026-03-10T09:00:00.000Z', 'unblock');
    given(block, unblock).when(at('2026-03-05T09:00:00.000Z')).thenViolations('blocked-data-processed');
    given(block, unblock).when(at('2026-03-11T09:00:00.000Z')).thenViolations();
    given(unblock, block).when(at('2026-03-11T09:00:00.000Z')).thenViolations();
    const sinceOf = (events: readonly ProcessingRecorded[]) => events[0]?.data.violations.map((v) => v.since);
    expect(sinceOf(given(unblock, block, at('2026-03-20T09:00:00.000Z', 'block')).when(at('2026-03-21T09:00:00.000Z')).events))
      .toEqual(['2026-03-20T09:00:00.000Z']);
  });

  it("does not flag the ledger's own carrying out of the subject's request while their data is blocked", () => {
    const block = record({ operation: 'block' });
    const rights = { purpose: { code: 'SUBJECT-RIGHTS', slug: 'subject-rights' }, system: 'derbes' };
    given(block).when(record({ operation: 'change', ...rights, requestId: 'q-7' })).thenViolations();
    // Without a request of the subject behind it, the same purpose is not the ledger's: flagged as before.
    given(block).when(record({ operation: 'change', ...rights })).thenViolations('purpose-not-in-register', 'blocked-data-processed');
  });

  it("does not flag the ledger's own destruction on the subject's request of data destroyed or depersonalized already", () => {
    const rights = { purpose: { code: 'SUBJECT-RIGHTS', slug: 'subject-rights' }, system: 'derbes', requestId: 'q-8' };
    for (const mark of ['destroy', 'depersonalize'] as const) {
      given(record({ operation: mark })).when(record({ operation: 'destroy', ...rights })).thenViolations();
      // An emitter's destruction of it is still flagged: any operation on such data is.
      given(record({ operation: mark })).when(record({ operation: 'destroy' })).thenViolations(mark === 'destroy' ? 'category-destroyed' : 'category-depersonalized');
    }
  });

  it('flags a transfer abroad without a ground unless the country is listed as adequate', () => {
    const abroad = (country: string, ground: RecordProcessing['transferGround'] = null) =>
      record({ operation: 'transfer', recipient: { name: 'Agency', country }, transferGround: ground });
    given().when(abroad('DE')).thenViolations('cross-border-without-ground');
    given().when(abroad('DE', { kind: 'consent', reference: 'C-2026-11' })).thenViolations();
    given().when(abroad('DE', { kind: 'treaty', reference: 'CIS 1993' })).thenViolations();
    given().when(abroad('BY')).thenViolations();
    given().when(abroad('KZ')).thenViolations();
    expect(given().when(abroad('DE')).events[0]?.data.crossBorder).toBe(true);
    expect(given().when(abroad('KZ')).events[0]?.data.crossBorder).toBe(false);
  });

  it('leaves the state as it was when somebody reads the file', () => {
    let state = initialSubjectState;
    for (const event of decide(record({ operation: 'block' }), state, context)) state = evolve(state, event);
    const read = { type: 'SubjectFileRead' as const, data: {
      readId: 'r-1', subjectId: 'a'.repeat(64), view: 'GET /v1/subjects/{subjectId}/history', categories: cat1,
      purpose: { code: 'OVERSIGHT', slug: 'oversight' }, actor: { id: 'hr-1', role: 'director', unit: 'hr' }, occurredAt: '2026-11-21T00:00:00.000Z',
    } };
    expect(evolve(state, read)).toBe(state);
  });

  it('reports every reason of a record that breaks several rules', () => {
    const history = [record({ operation: 'destroy', categories: cat28, purpose: { code: 'P07', slug: 'investigations' } })];
    given(...history)
      .when(record({ operation: 'transfer', categories: [...cat1, ...cat28], recipient: { name: 'X', country: 'US' } }))
      .thenViolations('purpose-not-approved-for-category', 'category-destroyed', 'cross-border-without-ground');
  });
});
