import { DEADLINE_COUNTING, DEFAULT_REQUEST_DEADLINES, REQUEST_KINDS, evolve, findViolations, initialSubjectState, type ProcessingRecorded, type ProcessingRecordedData, type SubjectEvent } from '@derbes/ledger';
import { BUILT_IN_REGISTERS, builtInSubjectRights, CodeNames, parseCodeNames, RegisterCatalog } from '@derbes/register';
import { buildAccessReport, reportedCategoryNumbers, type HowToRequest, type IdentifiedSubjectEvent, type UnsealText } from './access-report.builder';
import type { ReportLanguage } from './access-report.model';
import { DEFAULT_HOW_TO_REQUEST } from './spec-helpers';

const SUBJECT = 'a'.repeat(64);
const catalog = new RegisterCatalog(BUILT_IN_REGISTERS);
const OFFICIAL = { id: 'hr-director', role: 'official', unit: 'personnel-management' };

function record(overrides: Partial<ProcessingRecordedData>): SubjectEvent {
  return {
    type: 'ProcessingRecorded',
    data: {
      recordId: `00000000-0000-4000-8000-${String(Math.random()).slice(2, 14).padStart(12, '0')}`,
      subjectId: SUBJECT, operation: 'collect', categories: [{ number: 1, slug: 'full-name' }],
      purpose: { code: 'P01', slug: 'staffing', clause: 1 }, register: { id: 'mineco-328-O', version: 1, order: '328-Ө' },
      legalBasis: [], actor: { id: 'hr-17', role: 'hr-specialist', unit: 'personnel-management' }, system: 'hr-portal',
      occurredAt: '2026-11-20T04:30:00.000Z', source: null, recipient: null, crossBorder: false, transferGround: null,
      note: null, violations: [], embargoUntil: null, subjectMask: '7**********8', requestId: null, sourceSequence: null,
      ...overrides,
    },
  };
}

const stream: SubjectEvent[] = [
  record({ source: { kind: 'third-party', name: 'sealed:v1:1:SOURCE' } }),
  record({ source: { kind: 'third-party', name: 'sealed:v1:1:SOURCE-AGAIN' } }),
  record({
    operation: 'transfer', occurredAt: '2026-11-21T04:30:00.000Z', recipient: { name: 'sealed:v1:1:PERSON', country: 'DE', kind: 'person' },
    crossBorder: true, transferGround: { kind: 'consent', reference: 'sealed:v1:1:CONSENT' },
  }),
  record({ operation: 'transfer', occurredAt: '2026-11-22T04:30:00.000Z', recipient: { name: 'Pension fund', country: 'KZ' } }),
  { type: 'SubjectDataKeyDestroyed', data: { subjectId: SUBJECT, destroyedAt: '2026-11-24T20:00:00.000Z', reason: 'storage period ended', by: OFFICIAL } },
];

const events: IdentifiedSubjectEvent[] = stream.map((e, i) => ({ ...e, id: `e${i}` }));

const report = (language: ReportLanguage, unseal: UnsealText) => buildAccessReport({
  subjectId: SUBJECT, events, catalog, owner: 'mineco', language, now: new Date('2026-11-25T12:00:00Z'), utcOffsetMinutes: 300,
  showActors: false, showWithheld: false, howToRequest: DEFAULT_HOW_TO_REQUEST, unseal,
});

describe('buildAccessReport and sealed texts', () => {
  it('shows opened texts, and a source named twice once', () => {
    const opened: Record<string, string> = {
      'sealed:v1:1:SOURCE': 'Almaty city court', 'sealed:v1:1:SOURCE-AGAIN': 'Almaty city court',
      'sealed:v1:1:PERSON': 'Aigerim Bekova', 'sealed:v1:1:CONSENT': 'consent 2026-118',
    };
    const calls: string[] = [];
    const r = report('en', (subjectId, field, value) => {
      calls.push(`${subjectId === SUBJECT}:${field}`);
      return opened[value] ?? value;
    });
    expect(r.categories[0]?.sources).toEqual([{ kind: 'third-party', name: 'Almaty city court' }]);
    expect(r.transfers.map((t) => [t.recipient, t.ground?.reference ?? null])).toEqual([
      ['Aigerim Bekova', 'consent 2026-118'], ['Pension fund', null],
    ]);
    expect(new Set(calls)).toEqual(new Set(['true:source.name', 'true:recipient.name', 'true:transferGround.reference']));
  });

  it('says "destroyed on <date>" (local date) in the report\'s language where a key was destroyed', () => {
    const destroyed: UnsealText = (_s, _f, value) => (value.startsWith('sealed:') ? { destroyedOn: '2026-11-24T20:00:00.000Z' } : value);
    const en = report('en', destroyed);
    expect(en.categories[0]?.sources).toEqual([{ kind: 'third-party', name: 'destroyed on 25 November 2026' }]);
    expect(en.transfers[0]).toMatchObject({ recipient: 'destroyed on 25 November 2026', ground: { kind: 'consent', reference: 'destroyed on 25 November 2026' } });
    expect(en.transfers[1]?.recipient).toBe('Pension fund');
    // The events stay as metadata: both transfers and both collections are listed.
    expect(en.events.map((e) => e.operation)).toEqual(['collect', 'collect', 'transfer', 'transfer']);
    expect(report('ru', destroyed).transfers[0]?.recipient).toBe('уничтожено 25.11.2026');
    expect(report('kk', destroyed).transfers[0]?.recipient).toBe('жойылды: 2026 ж. 25 қараша');
  });

  it('says unreadable where the key is not in the key store at all', () => {
    const lost: UnsealText = (_s, _f, value) => (value.startsWith('sealed:') ? { destroyedOn: null } : value);
    expect(report('en', lost).transfers[0]?.recipient).toBe('unreadable (its key is not available)');
  });
});

describe('buildAccessReport: who holds the data', () => {
  it('names the responsible official as the order does, person and position, in each language', () => {
    const shown = (['kk', 'ru', 'en'] as const).map((language) => report(language, (_s, _f, value) => value).holder.responsibleOfficial);
    expect(shown).toEqual([
      'А. Қазақбайұлы, Персоналды басқару департаментінің директоры',
      'А. Казакбайулы, Директор Департамента управления персоналом',
      'A. Kazakbaiuly, Director of the Personnel Management Department',
    ]);
  });
});

describe('buildAccessReport: violations', () => {
  // Categories 1 and 28 collected, 28 blocked, then both read, and both sent abroad without a ground: flagged by the
  // ledger's own rules, as it would record them.
  const flagged = (more: Partial<ProcessingRecordedData>, earlier: readonly SubjectEvent[]): SubjectEvent => {
    const state = earlier.reduce(evolve, initialSubjectState);
    const { data } = record(more) as ProcessingRecorded;
    const register = catalog.inForce('mineco', new Date(data.occurredAt));
    return record({ ...more, violations: findViolations(data, state, { register, adequateCountries: new Set() }) });
  };
  const both = [{ number: 1, slug: 'full-name' }, { number: 28, slug: 'medical-results' }];
  const stream: SubjectEvent[] = [
    record({ categories: both, occurredAt: '2026-11-01T04:30:00.000Z' }),
    record({ operation: 'block', categories: [both[1]!], occurredAt: '2026-11-02T04:30:00.000Z' }),
  ];
  stream.push(flagged({ operation: 'access', categories: both, occurredAt: '2026-11-03T04:30:00.000Z' }, stream));
  stream.push(flagged({ operation: 'transfer', categories: [both[0]!], recipient: { name: 'A bank', country: 'TR' }, crossBorder: true, occurredAt: '2026-11-04T04:30:00.000Z' }, stream));
  const built = buildAccessReport({
    subjectId: SUBJECT, events: stream.map((e, i) => ({ ...e, id: `v${i}` })), catalog, owner: 'mineco', language: 'en',
    now: new Date('2026-11-25T12:00:00Z'), utcOffsetMinutes: 300, showActors: false, showWithheld: false, howToRequest: DEFAULT_HOW_TO_REQUEST, unseal: (_s, _f, v) => v,
  });

  it('gives each reason with the one category it concerns and since when, not all the categories of the record', () => {
    expect(built.violations[0]).toMatchObject({
      eventId: 'v2', operation: 'access', categories: [{ number: 1 }, { number: 28 }],
      reasons: [{ code: 'blocked-data-processed', category: 28, since: '2026-11-02T04:30:00.000Z' }],
    });
  });

  it('gives a reason about the record as a whole without a category', () => {
    expect(built.violations[1]).toMatchObject({
      eventId: 'v3', operation: 'transfer', categories: [{ number: 1 }],
      reasons: [{ code: 'cross-border-without-ground', category: null, since: null }],
    });
    expect(built.violations).toHaveLength(2);
  });
});

describe('reportedCategoryNumbers', () => {
  it("gives the numbers of the report's categories section, an embargoed record's left out until its date", () => {
    const more: IdentifiedSubjectEvent[] = [
      ...events,
      { ...record({ operation: 'access', categories: [{ number: 28, slug: 'medical-results' }, { number: 4, slug: 'birth' }], embargoUntil: '2026-12-01' }), id: 'e-embargoed' },
      { ...record({ operation: 'change', categories: [{ number: 14, slug: 'education' }] }), id: 'e-change' },
      { type: 'SubjectFileRead', data: {
        readId: 'r1', subjectId: SUBJECT, view: 'history', categories: [{ number: 30, slug: 'x' }], purpose: { code: 'OVERSIGHT', slug: 'oversight' },
        actor: OFFICIAL, occurredAt: '2026-11-23T04:30:00.000Z' } as never, id: 'e-read' },
    ];
    for (const [now, today] of [['2026-11-25T12:00:00Z', '2026-11-25'], ['2026-12-01T12:00:00Z', '2026-12-01']] as const) {
      const built = buildAccessReport({
        subjectId: SUBJECT, events: more, catalog, owner: 'mineco', language: 'en', now: new Date(now), utcOffsetMinutes: 300,
        showActors: false, showWithheld: false, howToRequest: DEFAULT_HOW_TO_REQUEST, unseal: (_s, _f, value) => value,
      });
      expect(reportedCategoryNumbers(more, today)).toEqual(built.categories.map((c) => c.category.number));
    }
    expect(reportedCategoryNumbers(more, '2026-11-25')).toEqual([1, 14]);
    expect(reportedCategoryNumbers(more, '2026-12-01')).toEqual([1, 4, 14, 28]);
  });
});

describe('buildAccessReport: the acts and purposes of a category, as each record was checked', () => {
  // Version 2 from 1 June 2026: act L3 is another act, and purpose P12 is gone.
  const v1 = BUILT_IN_REGISTERS[0]!;
  const v2 = {
    ...structuredClone(v1), version: 2, effective: { from: '2026-06-01', fromBasis: 'stated' as const, to: null },
    legalActs: v1.legalActs.map((a) => (a.code === 'L3' ? { ...a, titles: { kk: 'Жаңа акт', ru: 'Новый акт', en: 'A new act' }, number: '999', date: '2026-05-01' } : a)),
    purposes: v1.purposes.filter((p) => p.code !== 'P12'),
    categories: v1.categories.map((c) => (c.purposes ? { ...c, purposes: c.purposes.filter((p) => p !== 'P12') } : c)),
  };
  const amended = RegisterCatalog.withOverrides([{ ...v1, effective: { ...v1.effective, to: '2026-05-31' } }], [v2]);
  const v1Ref = { id: v1.id, version: 1, order: v1.order.number };
  const v2Ref = { id: v1.id, version: 2, order: v1.order.number };
  const made = (records: SubjectEvent[]) => buildAccessReport({
    subjectId: SUBJECT, events: records.map((e, i) => ({ ...e, id: `r${i}` })), catalog: amended, owner: 'mineco', language: 'en',
    now: new Date('2026-11-25T12:00:00Z'), utcOffsetMinutes: 300, showActors: false, showWithheld: false, howToRequest: DEFAULT_HOW_TO_REQUEST, unseal: (_s, _f, v) => v,
  });
  const l3Of = (register: typeof v1) => register.legalActs.find((a) => a.code === 'L3')!.titles.en;

  it('names an act by the register its record was checked against, and lists both acts a code named in two versions', () => {
    const r = made([
      record({ occurredAt: '2026-03-01T04:30:00.000Z', register: v1Ref, legalBasis: ['L1', 'L3'] }),
      record({ occurredAt: '2026-07-01T04:30:00.000Z', register: v2Ref, legalBasis: ['L3'] }),
    ]);
    const bases = r.categories[0]?.legalBases ?? [];
    expect(bases.map((b) => b.code)).toEqual(['L1', 'L3', 'L3']);
    expect(bases.map((b) => b.title).sort()).toEqual([v1.legalActs.find((a) => a.code === 'L1')!.titles.en, l3Of(v1), 'A new act'].sort());
    expect(l3Of(v1)).not.toBe('A new act');
  });

  it('names the same act cited under both versions once, and a purpose the current register no longer has by its record\'s', () => {
    const r = made([
      record({ occurredAt: '2026-03-01T04:30:00.000Z', register: v1Ref, legalBasis: ['L1'], purpose: { code: 'P12', slug: v1.purposes.find((p) => p.code === 'P12')!.slug, clause: 7 } }),
      record({ occurredAt: '2026-07-01T04:30:00.000Z', register: v2Ref, legalBasis: ['L1'] }),
    ]);
    expect(r.categories[0]?.legalBases.map((b) => b.code)).toEqual(['L1']);
    expect(r.categories[0]?.purposes.map((p) => [p.code, p.name])).toEqual([
      ['P01', v2.purposes.find((p) => p.code === 'P01')!.names.en], ['P12', v1.purposes.find((p) => p.code === 'P12')!.names.en],
    ]);
    expect(r.categories[0]?.purposes[1]?.name).not.toBe('P12');
  });
});

describe('buildAccessReport: the subject\'s rights and how to use them', () => {
  const made = (language: ReportLanguage, howToRequest = DEFAULT_HOW_TO_REQUEST) => buildAccessReport({
    subjectId: SUBJECT, events, catalog, owner: 'mineco', language, now: new Date('2026-11-25T12:00:00Z'), utcOffsetMinutes: 300,
    showActors: false, showWithheld: false, howToRequest, unseal: (_s, _f, v) => v,
  });

  it('tells each right of the data file in the report\'s language, with its citation, whether it is verified and the requests that use it', () => {
    const rights = builtInSubjectRights(REQUEST_KINDS);
    for (const language of ['kk', 'ru', 'en'] as const) {
      expect(made(language).rights.items).toEqual(rights.map((r) => ({
        code: r.code, text: r.text[language], citation: r.citation[language], verified: r.verified, requests: r.requests,
      })));
    }
    const en = made('en').rights.items;
    expect(en.find((r) => r.code === 'blocking')).toMatchObject({ verified: true, requests: ['blocking'], text: expect.stringMatching(/blocked/) });
    expect(en.find((r) => r.code === 'know')).toMatchObject({ verified: false, requests: ['information'] });
    expect(en.find((r) => r.code === 'protection')).toMatchObject({ verified: false, requests: [], text: expect.stringMatching(/compensation/) });
  });

  it('gives every request kind with the working days the request desk is configured with, and the contact, or none', () => {
    expect(made('en').rights.deadlines.map(({ kind, workingDays }) => ({ kind, workingDays }))).toEqual(
      REQUEST_KINDS.map((kind) => ({ kind, workingDays: DEFAULT_REQUEST_DEADLINES[kind].workingDays })),
    );
    expect(made('en').rights.contact).toBeNull();
    const configured = { ...DEFAULT_HOW_TO_REQUEST, deadlines: { ...DEFAULT_HOW_TO_REQUEST.deadlines, information: 7, blocking: 2 }, contact: 'Astana, Mangilik El 8; pd@example.kz' };
    const r = made('ru', configured);
    expect(r.rights.deadlines).toContainEqual(expect.objectContaining({ kind: 'information', workingDays: 7 }));
    expect(r.rights.deadlines).toContainEqual(expect.objectContaining({ kind: 'blocking', workingDays: 2 }));
    expect(r.rights.deadlines).toContainEqual(expect.objectContaining({ kind: 'change', workingDays: 1 }));
    expect(r.rights.contact).toBe('Astana, Mangilik El 8; pd@example.kz');
  });

  // A subject must not read the ledger's own default, or an unchecked number, as the law's.
  it("says of each deadline whose it is and whether it is verified: the law's from the data file, the ledger's own default, or the holder's", () => {
    expect(made('en').rights.deadlines).toEqual(REQUEST_KINDS.map((kind) => ({
      kind, workingDays: DEFAULT_REQUEST_DEADLINES[kind].workingDays, verified: DEFAULT_REQUEST_DEADLINES[kind].verified,
      basis: kind === 'consent-withdrawal' ? 'ledger-default' : 'law',
    })));
    const byKind = (how: HowToRequest) => new Map(made('kk', how).rights.deadlines.map((d) => [d.kind, d]));
    const configured = byKind({ ...DEFAULT_HOW_TO_REQUEST, deadlines: { ...DEFAULT_HOW_TO_REQUEST.deadlines, information: 7, 'consent-withdrawal': 5 } });
    expect(configured.get('information')).toEqual({ kind: 'information', workingDays: 7, verified: false, basis: 'configured' });
    expect(configured.get('consent-withdrawal')).toEqual({ kind: 'consent-withdrawal', workingDays: 5, verified: false, basis: 'configured' });
    expect(configured.get('blocking')).toEqual({ kind: 'blocking', workingDays: 1, verified: false, basis: 'law' });
  });

  it('tells how the days are counted from the data file, in the report\'s language, with whether it is verified', () => {
    for (const language of ['kk', 'ru', 'en'] as const) {
      expect(made(language).rights.counting).toEqual({ text: DEADLINE_COUNTING.text[DEADLINE_COUNTING.firstDay][language], verified: DEADLINE_COUNTING.verified });
    }
    expect(made('en').rights.counting.verified).toBe(false);
  });

  // The subject must read the rule their deadline is counted with, not the data file's default when the holder set another.
  it('tells the rule of the first day in force: the day of receipt or the day after it, as the request desk counts', () => {
    const onReceipt = { ...DEFAULT_HOW_TO_REQUEST, firstDay: 'receipt' as const };
    const afterReceipt = { ...DEFAULT_HOW_TO_REQUEST, firstDay: 'after-receipt' as const };
    for (const language of ['kk', 'ru', 'en'] as const) {
      expect(made(language, onReceipt).rights.counting).toEqual({ text: DEADLINE_COUNTING.text.receipt[language], verified: false });
      expect(made(language, afterReceipt).rights.counting.text).toBe(DEADLINE_COUNTING.text['after-receipt'][language]);
      expect(made(language, onReceipt).rights.counting.text).not.toBe(made(language, afterReceipt).rights.counting.text);
    }
    expect(made('en', onReceipt).rights.counting.text).toMatch(/from the day your request is received if that is a working day/);
    expect(made('ru', afterReceipt).rights.counting.text).toMatch(/со дня, следующего за днём получения запроса/);
  });
});

describe('buildAccessReport: whether a category is held now', () => {
  const MILITARY = { number: 24, slug: 'military-registration' };
  /** The ledger's own record of carrying out the subject's request q-1 (subject-request.decider's decideAnswer). */
  const onRequest = (operation: ProcessingRecordedData['operation'], occurredAt: string) => record({
    operation, occurredAt, categories: [MILITARY], purpose: { code: 'SUBJECT-RIGHTS', slug: 'subject-rights', clause: null }, system: 'derbes',
    actor: OFFICIAL, legalBasis: ['LAW-94-V-ART-24-25'], requestId: 'q-1',
  });
  const byEmitter = (operation: ProcessingRecordedData['operation'], occurredAt: string) => record({ operation, occurredAt, categories: [MILITARY] });
  const held = (...stream: SubjectEvent[]) => buildAccessReport({
    subjectId: SUBJECT, events: stream.map((e, i) => ({ ...e, id: `h${i}` })), catalog, owner: 'mineco', language: 'en',
    now: new Date('2026-11-25T12:00:00Z'), utcOffsetMinutes: 300, showActors: false, showWithheld: false,
    howToRequest: DEFAULT_HOW_TO_REQUEST, unseal: (_s, _f, value) => value,
  }).categories.find((c) => c.category.number === 24)?.held;

  it('does not assert held a category only its own records of carrying out the subject\'s requests name', () => {
    expect(held(onRequest('block', '2026-11-24T04:00:00.000Z'))).toBeNull();
    expect(held(onRequest('block', '2026-11-24T04:00:00.000Z'), onRequest('unblock', '2026-11-24T05:00:00.000Z'))).toBeNull();
    expect(held(onRequest('block', '2026-11-24T04:00:00.000Z'), onRequest('destroy', '2026-11-24T05:00:00.000Z'))).toBeNull();
  });

  it('holds a category by any record of an emitting system, the ledger\'s own records after it included, unless destroyed', () => {
    expect(held(byEmitter('block', '2026-11-24T04:00:00.000Z'))).toBe(true);
    expect(held(byEmitter('collect', '2026-11-20T04:00:00.000Z'), onRequest('block', '2026-11-24T04:00:00.000Z'))).toBe(true);
    // An emitter's record reported after the ledger's own, dated before it, tells as much.
    expect(held(onRequest('block', '2026-11-24T04:00:00.000Z'), byEmitter('access', '2026-11-20T04:00:00.000Z'))).toBe(true);
    expect(held(byEmitter('collect', '2026-11-20T04:00:00.000Z'), onRequest('destroy', '2026-11-24T04:00:00.000Z'))).toBe(false);
  });
});

describe('buildAccessReport: names of units, roles and systems', () => {
  const hr = { kk: 'Персоналды басқару', ru: 'Управление персоналом', en: 'Personnel management' };
  const names = new CodeNames(parseCodeNames({
    units: { 'personnel-management': hr, 'training-center': { kk: 'Оқу орталығы', ru: 'Учебный центр', en: 'Training centre' } },
    roles: { 'hr-specialist': { kk: 'Кадр маманы', ru: 'Специалист по кадрам', en: 'HR specialist' } },
    systems: { payroll: { kk: 'Жалақы', ru: 'Зарплата', en: 'Payroll' } },
  }, 'names.json'));
  const withReaders: IdentifiedSubjectEvent[] = [
    { ...record({}), id: 'e1' },
    // The ledger's own record of carrying out a request, and the subject reading their report.
    { ...record({ system: 'derbes', actor: OFFICIAL, purpose: { code: 'SUBJECT-RIGHTS', slug: 'subject-rights', clause: null }, requestId: 'q1', operation: 'block' }), id: 'e2' },
    { type: 'SubjectFileRead', data: {
      readId: 'r1', subjectId: SUBJECT, view: 'report', categories: [], purpose: { code: 'OVERSIGHT', slug: 'oversight' },
      actor: { id: 'data-subject', role: 'data-subject', unit: 'self' }, occurredAt: '2026-11-23T04:30:00.000Z' } as never, id: 'e3' },
  ];
  const built = (language: ReportLanguage, given?: CodeNames) => buildAccessReport({
    subjectId: SUBJECT, events: withReaders, catalog, owner: 'mineco', language, now: new Date('2026-11-25T12:00:00Z'), utcOffsetMinutes: 300,
    showActors: false, showWithheld: false, howToRequest: DEFAULT_HOW_TO_REQUEST, unseal: (_s, _f, value) => value, ...(given ? { names: given } : {}),
  }).names;

  it("names only the codes the report's rows give, in its language: a name for training-center or payroll is left out", () => {
    expect(built('ru', names)).toEqual({
      units: { 'personnel-management': 'Управление персоналом', self: 'Сам субъект данных' },
      roles: { 'data-subject': 'Субъект персональных данных', 'hr-specialist': 'Специалист по кадрам', official: 'Ответственное лицо' },
      // hr-portal has no name: left out, shown as its code.
      systems: { derbes: 'Реестр Derbes' },
    });
    expect(built('kk', names).units['personnel-management']).toBe(hr.kk);
    expect(built('en', names).units['personnel-management']).toBe(hr.en);
  });

  it("names the ledger's own codes without a names file, in each language", () => {
    for (const language of ['kk', 'ru', 'en'] as const) {
      const own = built(language);
      expect(Object.keys(own.units)).toEqual(['self']);
      expect(Object.keys(own.roles)).toEqual(['data-subject', 'official']);
      expect(Object.keys(own.systems)).toEqual(['derbes']);
      expect(new Set([own.units.self, own.roles['data-subject'], own.systems.derbes]).size).toBeGreaterThan(1);
    }
    expect(built('kk').systems.derbes).not.toBe(built('en').systems.derbes);
  });
});
