import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEADLINE_COUNTING, DEFAULT_REQUEST_DEADLINES, REQUEST_KINDS } from '@derbes/ledger';
import { BUILT_IN_REGISTERS, RegisterCatalog } from '@derbes/register';
import { buildAccessReport, type HowToRequest } from './access-report.builder';
import type { AccessReport, NamedCategory, NamedPurpose } from './access-report.model';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
export type ReportEvent = AccessReport['events'][number];

export const FULL_NAME: NamedCategory = { number: 1, slug: 'full-name', name: 'Тегі, аты, әкесінің аты (ол болған кезде)' };
export const IIN: NamedCategory = { number: 2, slug: 'iin', name: 'Жеке сәйкестендіру нөмірі (ЖСН)' };
export const BIRTH: NamedCategory = { number: 4, slug: 'birth', name: 'Туу туралы мәліметтер: туған күні, туған жері' };
export const IDENTITY_DOCUMENT: NamedCategory = {
  number: 7,
  slug: 'identity-document',
  name: 'Жеке басын куәландыратын құжаттың деректері: құжаттың атауы; нөмірі; берілген күні; қолданылу мерзімі; құжатты берген орган',
};

export const PERSONNEL: NamedPurpose = { code: 'P02', name: 'Мемлекеттік қызметшілердің персоналын басқару' };
export const SELECTION: NamedPurpose = {
  code: 'P01',
  name: 'Мемлекеттік органның кадр құрамын қалыптастыру және конкурстық іріктеуді ұйымдастыру',
};
export const OVERSIGHT: NamedPurpose = { code: 'OVERSIGHT', name: 'Дербес деректерді өңдеуді ішкі бақылау' };
export const SUBJECT_RIGHTS: NamedPurpose = { code: 'SUBJECT-RIGHTS', name: 'Субъектінің сұрау салуын орындау' };

/** The request desk's default deadlines and first day, no contact configured: what a ledger started without those settings gives. */
export const DEFAULT_HOW_TO_REQUEST: HowToRequest = {
  deadlines: Object.fromEntries(REQUEST_KINDS.map((kind) => [kind, DEFAULT_REQUEST_DEADLINES[kind].workingDays])) as HowToRequest['deadlines'],
  firstDay: DEADLINE_COUNTING.firstDay,
  contact: null,
};

/**
 * The sample report in `language`, with the holder and the rights section the builder makes (from the data file and
 * `howToRequest`) in that language: what the renderers show of the rights, in each language.
 */
export function sampleWithRights(language: AccessReport['language'], howToRequest: HowToRequest = DEFAULT_HOW_TO_REQUEST): Mutable<AccessReport> {
  const built = buildAccessReport({
    subjectId: 'a'.repeat(64), events: [], catalog: new RegisterCatalog(BUILT_IN_REGISTERS), owner: 'mineco', language,
    now: new Date('2026-11-25T09:30:00.000Z'), utcOffsetMinutes: 300, showActors: false, showWithheld: false, howToRequest, unseal: (_s, _f, v) => v,
  });
  return { ...sampleReport(), language, holder: structuredClone(built.holder), rights: structuredClone(built.rights) as Mutable<AccessReport['rights']> };
}

// Unit, role, actor and system are the source systems' codes (the ledger accepts no names there).
const UNIT = 'personnel-management';
const REFUSED_REQUEST = '6f1d2c3b-8a9e-4f70-b1c2-d3e4f5a6b7c8';
const ANSWERED_REQUEST = '0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e';

/** A realistic report in Kazakh: several categories, a read, a transfer abroad, a late refusal, violations, withheld. */
export function sampleReport(): Mutable<AccessReport> {
  return {
    schema: 'derbes/access-report',
    schemaVersion: 6,
    language: 'kk',
    generatedAt: '2026-11-25T09:30:00.000Z',
    utcOffsetMinutes: 300,
    holder: {
      body: 'Қазақстан Республикасы Экология және табиғи ресурстар министрлігі',
      responsibleOfficial: 'А. Қазақбайұлы, Персоналды басқару департаментінің директоры',
      order: {
        number: '328-Ө',
        date: '2025-12-04',
        title: 'Жүзеге асырылатын міндеттерді орындау үшін қажетті және жеткілікті дербес деректердің тізбесін бекіту туралы',
      },
    },
    subject: { subjectId: '9d3b7f0c5a1e4d2b8c6f0a9e7d5b3c1f2e4a6c8b0d9f7e5a3c1b2d4f6e8a0c9b', maskedIin: '8**********4' },
    categories: [
      {
        category: FULL_NAME,
        held: true,
        sources: [{ kind: 'subject', name: null }, { kind: 'state-database', name: 'Жеке тұлғалар мемлекеттік деректер қоры' }],
        purposes: [SELECTION, PERSONNEL],
        legalBases: [
          { code: 'L1', title: 'Қазақстан Республикасының Еңбек кодексі', citation: 'Қазақстан Республикасының Еңбек кодексі' },
          { code: 'L3', title: 'Мемлекеттік қызмет өткерудің кейбір мәселелері туралы', citation: '«Мемлекеттік қызмет өткерудің кейбір мәселелері туралы» 2015 жылғы 29 желтоқсандағы № 152 Қазақстан Республикасы Президентінің Жарлығы' },
        ],
        firstCollectedAt: '2026-01-12T04:15:00.000Z',
        lastChangedAt: '2026-03-02T06:40:00.000Z',
        lastProcessedAt: '2026-11-20T10:05:00.000Z',
        blockedAt: null,
        destroyedAt: null,
        depersonalizedAt: null,
      },
      {
        category: IIN,
        held: true,
        sources: [{ kind: 'subject', name: null }],
        purposes: [PERSONNEL],
        legalBases: [{ code: 'L3', title: 'Мемлекеттік қызмет өткерудің кейбір мәселелері туралы', citation: '«Мемлекеттік қызмет өткерудің кейбір мәселелері туралы» 2015 жылғы 29 желтоқсандағы № 152 Қазақстан Республикасы Президентінің Жарлығы' }],
        firstCollectedAt: '2026-01-12T04:15:00.000Z',
        lastChangedAt: null,
        lastProcessedAt: '2026-09-01T03:00:00.000Z',
        blockedAt: '2026-10-05T08:00:00.000Z',
        destroyedAt: null,
        depersonalizedAt: null,
      },
      {
        category: BIRTH,
        held: false,
        sources: [{ kind: 'third-party', name: 'Гауһар Медикал ЖШС' }],
        purposes: [PERSONNEL],
        legalBases: [],
        firstCollectedAt: null,
        lastChangedAt: null,
        lastProcessedAt: '2026-10-20T12:00:00.000Z',
        blockedAt: null,
        destroyedAt: '2026-10-20T12:00:00.000Z',
        depersonalizedAt: null,
      },
      {
        category: IDENTITY_DOCUMENT,
        held: false,
        sources: [],
        purposes: [],
        legalBases: [],
        firstCollectedAt: '2026-02-01T05:00:00.000Z',
        lastChangedAt: null,
        lastProcessedAt: '2026-06-30T18:59:00.000Z',
        blockedAt: null,
        destroyedAt: null,
        depersonalizedAt: '2026-06-30T18:59:00.000Z',
      },
    ],
    events: [
      event('2026-01-12T04:15:00.000Z', 'collect', [FULL_NAME, IIN], SELECTION, { role: 'hr-chief-specialist', system: '1c-hr' }),
      event('2026-03-02T06:40:00.000Z', 'change', [FULL_NAME], PERSONNEL, { actorId: 'hr-17', system: '1c-hr' }),
      event('2026-04-15T09:00:00.000Z', 'transfer', [FULL_NAME, BIRTH], PERSONNEL, {
        system: 'doc-flow',
        violations: ['cross-border-without-ground', 'purpose-not-approved-for-category'],
      }),
      event('2026-06-30T18:59:00.000Z', 'depersonalize', [IDENTITY_DOCUMENT], PERSONNEL, {}),
      event('2026-09-01T03:00:00.000Z', 'access', [IIN], { code: 'P09', name: 'Әскери есепті жүргізу' }, {
        violations: ['purpose-not-in-register'],
      }),
      event('2026-10-05T08:00:00.000Z', 'block', [IIN], SUBJECT_RIGHTS, { requestId: ANSWERED_REQUEST }),
      event('2026-10-20T12:00:00.000Z', 'destroy', [BIRTH], PERSONNEL, {}),
      event('2026-11-20T10:05:00.000Z', 'read', [], OVERSIGHT, { unit: 'internal-control', role: 'auditor', actorId: 'ic-3', system: null }),
    ],
    // Not every code has a name (doc-flow, internal-control have none here): those are shown as they are.
    names: {
      units: { [UNIT]: 'Персоналды басқару департаменті' },
      roles: { auditor: 'Аудитор' },
      systems: { '1c-hr': '1С: Кадрлар' },
    },
    transfers: [
      {
        eventId: eid(101),
        at: '2026-02-10T07:00:00.000Z',
        recipient: 'Қазақстан Республикасы Қаржы министрлігінің Мемлекеттік кірістер комитеті',
        country: 'KZ',
        crossBorder: false,
        categories: [FULL_NAME, IIN],
        purpose: PERSONNEL,
        ground: null,
      },
      {
        eventId: eid(102),
        at: '2026-03-20T11:30:00.000Z',
        recipient: 'Hochschule für Verwaltung Speyer',
        country: 'DE',
        crossBorder: true,
        categories: [FULL_NAME],
        purpose: SELECTION,
        ground: { kind: 'consent', reference: 'Келісім № 14/2026, 2026-03-18' },
      },
      {
        eventId: eid(3),
        at: '2026-04-15T09:00:00.000Z',
        recipient: 'Өзбекстан Республикасының Мемлекеттік қызметті дамыту агенттігі',
        country: 'UZ',
        crossBorder: true,
        categories: [FULL_NAME, BIRTH],
        purpose: PERSONNEL,
        ground: null,
      },
    ],
    retention: {
      period: 'Жеке іс: мемлекеттік қызметтен шыққаннан кейін 75 жыл',
      basis: 'Үлгілік құжаттар тізбесі, 2-тарау, 14-тармақ',
      verified: true,
    },
    rights: {
      items: [
        {
          code: 'know', verified: false, requests: ['information'],
          text: 'Сіз туралы деректердің бар-жоғын білу, сондай-ақ олар не үшін, қайдан алынғанын және қанша уақыт сақталатынын білу.',
          citation: '№ 94-V Заң, 24-бап, 1) тармақша',
        },
        {
          code: 'blocking', verified: true, requests: ['blocking'],
          text: 'Деректер белгіленген талаптар бұзылып жиналса немесе өңделсе, оларды бұғаттауды талап ету.',
          citation: '№ 94-V Заң, 24-бап',
        },
        { code: 'protection', verified: false, requests: [], text: 'Өз құқықтарыңызды қорғау, оның ішінде зиянды өтеуді талап ету.', citation: '№ 94-V Заң, 24-бап, 7) тармақша' },
      ],
      deadlines: [
        { kind: 'information', workingDays: 3, basis: 'law', verified: true }, { kind: 'change', workingDays: 1, basis: 'law', verified: false },
        { kind: 'blocking', workingDays: 1, basis: 'law', verified: false }, { kind: 'unblocking', workingDays: 1, basis: 'law', verified: false },
        { kind: 'destruction', workingDays: 2, basis: 'configured', verified: false }, { kind: 'consent-withdrawal', workingDays: 3, basis: 'ledger-default', verified: false },
      ],
      counting: { text: 'Тек жұмыс күндері (демалыс және мереке күндерінсіз), сұрау салу алынған күннің келесі күнінен бастап есептеледі.', verified: false },
      contact: 'Астана қ., Мәңгілік Ел даңғ., 8, 1-кіреберіс; pd-requests@ecogeo.gov.kz; +7 7172 74 00 00',
    },
    requests: [
      {
        requestId: 'c4a1e2b3-7d6f-4e5a-8b9c-0a1b2c3d4e5f',
        eventIds: [eid(201)],
        kind: 'information',
        channel: 'egov',
        receivedAt: '2026-11-24T05:10:00.000Z',
        deadline: '2026-12-01',
        deadlineCoverage: 'verified',
        status: 'open',
        closedAt: null,
        late: false,
        workingDaysLate: 0,
        reasons: [],
      },
      {
        requestId: REFUSED_REQUEST,
        eventIds: [eid(202), eid(203)],
        kind: 'destruction',
        channel: 'post',
        receivedAt: '2026-10-01T04:00:00.000Z',
        deadline: '2026-10-08',
        deadlineCoverage: 'verified',
        status: 'refused',
        closedAt: '2026-10-13T10:00:00.000Z',
        late: true,
        workingDaysLate: 3,
        reasons: ['Деректерді сақтау мерзімі әлі өтпеген', 'Еңбек кодексі бойынша сақтау міндеті'],
      },
      {
        requestId: ANSWERED_REQUEST,
        eventIds: [eid(204), eid(205)],
        kind: 'blocking',
        channel: 'in-person',
        receivedAt: '2026-09-30T03:00:00.000Z',
        deadline: '2026-10-07',
        deadlineCoverage: 'projected',
        status: 'answered',
        closedAt: '2026-10-05T08:00:00.000Z',
        late: false,
        workingDaysLate: 0,
        reasons: [],
      },
    ],
    violations: [
      {
        eventId: eid(3), at: '2026-04-15T09:00:00.000Z', operation: 'transfer', categories: [FULL_NAME, BIRTH],
        reasons: [{ code: 'cross-border-without-ground', category: null, since: null }, { code: 'purpose-not-approved-for-category', category: 4, since: null }],
      },
      { eventId: eid(5), at: '2026-09-01T03:00:00.000Z', operation: 'access', categories: [IIN], reasons: [{ code: 'purpose-not-in-register', category: null, since: null }] },
    ],
    withheld: { count: 2 },
    integrity: sampleIntegrity(),
    signature: { keyId: 'a1b2c3d4e5f60718', value: 'ab'.repeat(64) },
  };
}

function event(
  at: string,
  operation: ReportEvent['operation'],
  categories: NamedCategory[],
  purpose: NamedPurpose,
  more: Partial<Mutable<ReportEvent>>,
): Mutable<ReportEvent> {
  return {
    eventId: eid(Date.parse(at) / 1000),
    at,
    operation,
    categories,
    purpose,
    unit: UNIT,
    role: 'hr-specialist',
    actorId: null,
    system: 'e-qyzmet',
    requestId: null,
    violations: [],
    ...more,
  };
}

/** A deterministic event id (a UUID) from a number. */
export function eid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** An integrity section of the shape the ledger gives (its hashes are made up: renderers do not check them). */
export function sampleIntegrity(): NonNullable<AccessReport['integrity']> {
  const hex = (c: string) => c.repeat(64);
  return {
    treeHeadSource: 'latest',
    readEventId: eid(3),
    treeHead: {
      treeSize: 120_431, rootHash: hex('a'), timestamp: '2026-11-25T09:29:58.120Z', keyId: '21fe31dfa154a261', signature: 'c'.repeat(128), position: 120_432,
    },
    chain: [
      { position: 17, revision: 0, eventId: eid(1), type: 'ProcessingRecorded', previousHash: null, chainHash: hex('1'), withheld: false, event: null },
      { position: 905, revision: 1, eventId: eid(2), type: 'ProcessingRecorded', previousHash: hex('1'), chainHash: hex('2'), withheld: true, event: null },
      { position: 120_400, revision: 2, eventId: eid(3), type: 'SubjectFileRead', previousHash: hex('2'), chainHash: hex('3'), withheld: false, event: null },
    ],
    inclusion: { eventId: eid(3), leafIndex: 120_399, treeSize: 120_431, leafHash: hex('d'), proof: [hex('e'), hex('f')] },
  };
}

const OPERATIONS: readonly ReportEvent['operation'][] = ['collect', 'access', 'change', 'read', 'transfer', 'access', 'block', 'unblock'];
const CATEGORY_SETS: readonly NamedCategory[][] = [[FULL_NAME], [FULL_NAME, IIN], [IIN], [BIRTH, IDENTITY_DOCUMENT]];

/**
 * The sample report in `language`, its last violation replaced by an access of categories 1 and 2 while 2 was blocked
 * (since 5 October 2026, 13:00 local time): flagged for category 2 only.
 */
export function reportFlaggedWhileBlocked(language: AccessReport['language']): Mutable<AccessReport> {
  const report = { ...sampleReport(), language };
  report.violations[1] = {
    eventId: eid(5), at: '2026-11-10T05:00:00.000Z', operation: 'access', categories: [FULL_NAME, IIN],
    reasons: [{ code: 'blocked-data-processed', category: 2, since: '2026-10-05T08:00:00.000Z' }],
  };
  return report;
}

/** The sample report with `count` generated events, a minute and a half apart from 1 January 2026 (UTC). */
export function reportWithEvents(count: number): Mutable<AccessReport> {
  const report = sampleReport();
  const start = Date.parse('2026-01-01T03:00:00.000Z');
  report.events = Array.from({ length: count }, (_, i) =>
    event(new Date(start + i * 90_000).toISOString(), OPERATIONS[i % OPERATIONS.length] ?? 'access', CATEGORY_SETS[i % 4] ?? [], i % 3 ? PERSONNEL : SELECTION, {
      actorId: i % 5 === 0 ? `hr-${i % 17}` : null,
      violations: i % 50 === 7 ? ['blocked-data-processed'] : [],
    }),
  );
  return report;
}

/** Whether poppler's pdftotext can be run here (CI installs poppler-utils). */
export function havePdftotext(): boolean {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs a poppler tool (`pdftotext`, `pdffonts`, `pdfinfo`) on the PDF in a temp file and returns its output. */
export function poppler(tool: string, pdf: Buffer, args: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'derbes-report-'));
  try {
    const file = join(dir, 'report.pdf');
    writeFileSync(file, pdf);
    return execFileSync(tool, [...args, file, ...(tool === 'pdftotext' ? ['-'] : [])], { encoding: 'utf8', maxBuffer: 64 << 20 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Fails naming the first needle not found in `haystack` after the previous one. */
export function expectInOrder(haystack: string, needles: readonly string[]): void {
  let from = 0;
  needles.forEach((needle, i) => {
    const at = haystack.indexOf(needle, from);
    if (at < 0) throw new Error(`#${i} not found in order: ${JSON.stringify(needle)}`);
    from = at + needle.length;
  });
}

/** What the rights sections say in each language, for the renderers' tests (the sample with five days for information). */
export const RIGHTS_SAID = {
  kk: {
    blocking: 'Деректер белгіленген талаптар бұзылып жиналса немесе өңделсе, оларды бұғаттауды талап ету',
    ask: '«Бұғаттау» сұрау салуы: жауап 1 жұмыс күні ішінде беріледі',
    information: 'Деректер туралы мәлімет алу: 5 жұмыс күні ішінде',
    official: '«Деректерді өңдейтін орган» бөлімінде аталған жауапты лауазымды тұлғаға: ',
    deadlines: [
      'Деректер туралы мәлімет алу: 5 жұмыс күні ішінде (органның өзі белгілеген; тексерілген: Жоқ)',
      'Бұғаттау: 1 жұмыс күні ішінде (заңда белгіленген мерзім; тексерілген: Жоқ)',
      'Келісімді кері қайтарып алу: 3 жұмыс күні ішінде (тізілімнің өз әдепкі мерзімі, заңның мерзімі емес; тексерілген: Жоқ)',
    ],
    counting: 'Тек жұмыс күндері (демалыс және мереке күндерінсіз), сұрау салу алынған күннің келесі күнінен бастап есептеледі. Тексерілген: Жоқ',
  },
  ru: {
    blocking: 'Потребовать заблокировать ваши данные, если при их сборе или обработке нарушены установленные условия',
    ask: 'Запрос «Блокирование»: ответ в течение 1 рабочего дня',
    information: 'Получение сведений о данных: в течение 5 рабочих дней',
    official: 'Ответственному должностному лицу, указанному в разделе «Орган, обрабатывающий данные»: ',
    deadlines: [
      'Получение сведений о данных: в течение 5 рабочих дней (установлен органом; проверено: Нет)',
      'Блокирование: в течение 1 рабочего дня (срок по закону; проверено: Нет)',
      'Отзыв согласия: в течение 3 рабочих дней (собственный срок реестра по умолчанию, не срок закона; проверено: Нет)',
    ],
    counting: 'Только рабочие дни (без выходных и праздников), начиная со дня, следующего за днём получения запроса. Проверено: Нет',
  },
  en: {
    blocking: 'Demand that your data be blocked if it was collected or processed in breach of the rules',
    ask: 'Request "Blocking": answer within 1 working day',
    information: 'Information about your data: within 5 working days',
    official: 'To the responsible official named under "Data holder": ',
    deadlines: [
      'Information about your data: within 5 working days (set by the holder; verified: No)',
      'Blocking: within 1 working day (the law\'s period; verified: No)',
      'Withdrawal of consent: within 3 working days (this ledger\'s own default, not the law\'s; verified: No)',
    ],
    counting: 'Working days only (no weekends or public holidays), from the day after your request is received. Verified: No',
  },
} as const;

/** The sample unit's, role's and system's names in each language, as a names file would give them. */
export const CODE_NAMES_SAID = {
  kk: { unit: 'Персоналды басқару департаменті', role: 'Кадр маманы', system: 'Е-қызмет жүйесі' },
  ru: { unit: 'Департамент управления персоналом', role: 'Специалист по кадрам', system: 'Система Е-кызмет' },
  en: { unit: 'Personnel Management Department', role: 'HR specialist', system: 'E-qyzmet system' },
} as const;

/** The sample report in `language`, naming its unit, the role hr-specialist and the system e-qyzmet in that language. */
export function reportWithCodeNames(language: AccessReport['language']): Mutable<AccessReport> {
  const said = CODE_NAMES_SAID[language];
  return {
    ...sampleReport(), language,
    names: { units: { [UNIT]: said.unit }, roles: { 'hr-specialist': said.role }, systems: { 'e-qyzmet': said.system } },
  };
}
