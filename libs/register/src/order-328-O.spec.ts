import { BUILT_IN_REGISTERS, ORDER_328_O } from './builtin';
import type { Names } from './register.model';

/**
 * The data against Order No. 328-Ө itself. The Kazakh names below are copied from the clean reading of the order
 * (docs: order-328-O.md, §1.5), not from the JSON, so that the two are checked against each other.
 */
const KK_CATEGORY_NAMES: readonly [number, string][] = [
  [1, 'Тегі, аты, әкесінің аты (болған жағдайда)'],
  [2, 'Жеке сәйкестендіру нөмірі (ЖСН)'],
  [3, 'Тегін, атын, әкесінің атын (бар болса) ауыстыру туралы мәліметтер'],
  [4, 'Туу туралы мәліметтер: туған күні, туған жері'],
  [5, 'Ұлты'],
  [6, 'Жынысы'],
  [7, 'Жеке басын куәландыратын құжаттың деректері: құжаттың атауы; нөмірі; берілген күні; қолданылу мерзімі; құжатты берген орган'],
  [8, 'Азаматтығы туралы деректер: азаматтығы (бұрынғы азаматтығы); Қазақстан Республикасының азаматтығын алған күні; Қазақстан Республикасының азаматтығын алу негіздері; Қазақстан Республикасының азаматтығын жоғалтқан күні; Қазақстан Республикасының азаматтығын жоғалту негіздері; Қазақстан Республикасының азаматтығын қалпына келтіру күні; Қазақстан Республикасының азаматтығын қалпына келтіру негіздері'],
  [9, 'Тұрғылықты мекенжайы'],
  [10, 'Байланыс деректері (жұмыс, үй, ұялы телефон нөмірлері)'],
  [11, 'Электрондық пошта мекенжайы'],
  [12, 'Портреттік бейнесі (цифрланған фотосуреті)'],
  [13, 'Қолы (оның ішінде электрондық цифрлық (бар болса)'],
  [14, 'Білімі, біліктілігі туралы және арнайы білімінің немесе арнайы даярлығының болуы туралы мәліметтер: оқу орнына түскен күні (оқу орнынан шығарылған күні); білім беру мекемесін бітіргені туралы дипломның, куәліктің, аттестаттың немесе басқа құжаттың сериясы, нөмірі, берілген күні; білім беру мекемесінің атауы және орналасқан жері; факультет немесе бөлімше, білім беру мекемесін бітіргеннен кейінгі біліктілігі мен мамандығы; ғылыми дәрежесі; ғылыми, академиялық атағы; шет тілдерін білуі'],
  [15, 'Арнайы тексеру нәтижелері'],
  [16, 'Соттылықтың болуы (болмауы) туралы мәліметтер'],
  [17, 'Мемлекеттік қызметшінің ант қабылдаған күні'],
  [18, 'Жеке табыс салығы және мүлік бойынша декларацияны тапсырғаны туралы мәліметтер'],
  [19, 'Еңбек кітапшасының мәліметтері: нөмірі; серия; берілген күні'],
  [20, 'Еңбек қызметі туралы мәліметтер (ағымдағы уақытқа арналған еңбек қызметі туралы деректер): лауазымды, құрылымдық бөлімшені, ұйымды толық көрсету, оның атауы; жалпы және үздіксіз жұмыс өтілі; бұрын атқарған лауазымдарының толық атауы және осы ұйымдардағы жұмыс уақыты көрсетілген басқа ұйымдардың мекенжайлары мен телефондары, сондай-ақ деректемелері'],
  [21, 'Мемлекеттік және ведомстволық наградалар, грамоталар, алғыс хаттар туралы мәліметтер; награданың атауы немесе атауы; наградтау туралы нормативтік актінің күні мен түрі'],
  [22, 'Біліктілігін арттыру және қайта даярлау туралы мәліметтер: біліктілікті арттыру немесе қайта даярлау туралы құжаттың сериясы, нөмірі, берілген күні; білім беру мекемесінің атауы және орналасқан жері; білім беру мекемесін бітірген кездегі біліктілігі мен мамандығы'],
  [23, 'Мемлекеттік әкімшілік қызметшілердің қызметін бағалау нәтижелері туралы мәліметтер'],
  [24, 'Әскери міндетті адамдарды және әскери қызметке шақырылуға жататын адамдарды әскери есепке алу туралы мәліметтер: әскери билеттің сериясы, нөмірі, берілген (тапсырылған) күні; әскери билетті берген органның атауы; әскери-есептік мамандық; әскери атағы; есепке алу/шығару туралы деректер; әскери қызметтен босату негізі'],
  [25, 'Отбасы жағдайы туралы мәліметтер: некедегі жағдайы; неке қию туралы куәліктің деректері; некені бұзу туралы куәліктің деректері; тегі, аты, әкесінің аты (болған жағдайда) ерлі-зайыптылар; жұбайының жеке басын куәландыратын құжаттың деректері; туыстық дәрежесі; асырауындағы басқа да отбасы мүшелерінің тегі, аты, әкесінің аты (бар болса) және туған күні; балалардың (оның ішінде асырап алынған, қамқорлықтағы) болуы және олардың жасы; баланың туу туралы куәлігінің деректері; жақын туыстарының қайтыс болуы туралы куәліктің деректері'],
  [26, 'Әлеуметтік жеңілдіктер мен әлеуметтік мәртебесі туралы мәліметтер: жеңілдіктер мен мәртебе беру үшін негіз болып табылатын құжатты берген органның атауы; құжаттың сериясы, нөмірі, берілген күні; мүгедектіктің себебі, мүгедектік тобы; Семей ядролық сынақ полигонындағы ядролық сынақтардың салдарынан зардап шеккен адамға берілетін жеңілдіктерге құқықты растайтын куәлік; Арал өңіріндегі экологиялық қасірет салдарынан зардап шеккен адамға жеңілдіктер алу құқығын растайтын куәлік'],
  [27, 'Мүгедектік туралы мәліметтер: мүгедектік санаты; мүгедектік тобының коды; мүгедектік тобы; мүгедектіктің себебі; мүгедектікті белгілеу күні, белгілеу мерзімі'],
  [28, 'Медициналық қорытындылардың нәтижелері туралы мәліметтер'],
  [29, 'Тәртіптік/әкімшілік жаза қолдану туралы (оның ішінде мемлекеттік қызметке кір келтіретін сыбайлас жемқорлық құқық бұзушылық жасағаны үшін), мемлекеттік лауазымдарды атқаруға тыйым салу туралы мәліметтер'],
  [30, 'Зейнетақы алушылар туралы мәлеметтер: төлем коды, төлемдерді шешу коды, төлемді бастау мерзімі, төлемді аяқтау мерзімі'],
];

/** Every Names object anywhere in the register, with its path. */
function allNames(value: unknown, path = ''): [string, Names][] {
  if (typeof value !== 'object' || value === null) return [];
  const obj = value as Record<string, unknown>;
  if (['kk', 'ru', 'en'].every((k) => k in obj) && Object.keys(obj).length === 3) return [[path, obj as unknown as Names]];
  return Object.entries(obj).flatMap(([k, v]) => allNames(v, Array.isArray(value) ? `${path}[${k}]` : `${path}.${k}`));
}

describe('Order 328-Ө register data', () => {
  const r = ORDER_328_O;

  it('is the only built-in register', () => {
    expect(BUILT_IN_REGISTERS).toEqual([ORDER_328_O]);
    expect(r).toMatchObject({ id: 'mineco-328-O', version: 1, owner: 'mineco', renderedLangs: ['ru', 'en'] });
  });

  it('has exactly 30 categories numbered 1..30 in order', () => {
    expect(r.categories.map((c) => c.number)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it.each(KK_CATEGORY_NAMES)('category %i has the Kazakh name of the order', (number, kk) => {
    expect(r.categories.find((c) => c.number === number)?.names.kk).toBe(kk);
  });

  it('keeps Kazakh-specific letters (no transliteration or Russian look-alikes)', () => {
    const kk = (n: number) => r.categories[n - 1]?.names.kk ?? '';
    expect(kk(28)).toContain('Медициналық');
    expect(kk(2)).toContain('сәйкестендіру');
    expect(kk(5)).toBe('Ұлты');
    expect(kk(9)).toContain('Тұрғылықты');
    expect(r.responsibleOfficial.name.kk).toBe('А. Қазақбайұлы');
    expect(r.order.number).toBe('328-Ө');
  });

  it('takes each Kazakh sub-field verbatim from its category text', () => {
    for (const c of r.categories) {
      for (const s of c.subFields) expect(c.names.kk).toContain(s.names.kk);
    }
    const subs = (n: number) => r.categories[n - 1]?.subFields.map((s) => s.names.kk);
    expect(subs(7)).toEqual(['құжаттың атауы', 'нөмірі', 'берілген күні', 'қолданылу мерзімі', 'құжатты берген орган']);
    expect(subs(19)).toEqual(['нөмірі', 'серия', 'берілген күні']);
    expect(subs(8)).toHaveLength(7);
    expect(subs(25)).toHaveLength(10);
    expect(subs(28)).toEqual([]);
    expect(subs(10)).toEqual(['жұмыс', 'үй', 'ұялы телефон нөмірлері']);
    expect(subs(13)).toEqual(['Қолы', 'электрондық цифрлық (бар болса)']);
  });

  it('flags the source typos it keeps', () => {
    expect(r.categories[12]?.sourceNotes).toContain('қолтаңба');
    expect(r.categories[20]?.sourceNotes).toContain('атауы немесе атауы');
    expect(r.categories[24]?.sourceNotes).toContain('25');
    expect(r.categories[29]?.sourceNotes).toContain('мәлеметтер');
  });

  it('has the tiers of the product classification', () => {
    const tier = (n: number) => r.categories[n - 1]?.tier;
    expect([tier(1), tier(2), tier(5), tier(23), tier(24), tier(28), tier(30)]).toEqual(['O', 'R', 'S', 'R', 'R', 'S', 'S']);
    const byTier = (t: string) => r.categories.filter((c) => c.tier === t).map((c) => c.number);
    expect(byTier('R')).toEqual([2, 3, 7, 8, 9, 23, 24]);
  });

  it('marks exactly the tier S categories sensitive', () => {
    const sensitive = r.categories.filter((c) => c.sensitive).map((c) => c.number);
    expect(new Set(sensitive)).toEqual(new Set([5, 12, 13, 15, 16, 18, 25, 26, 27, 28, 29, 30]));
    for (const c of r.categories) expect(c.sensitive).toBe(c.tier === 'S');
  });

  it('restricts no category to some purposes (the order has one row)', () => {
    for (const c of r.categories) expect(c.purposes).toBeUndefined();
  });

  it('has twelve purposes P01..P12 traced to the seven clauses', () => {
    expect(r.purposes.map((p) => p.code)).toEqual(['P01', 'P02', 'P03', 'P04', 'P05', 'P06', 'P07', 'P08', 'P09', 'P10', 'P11', 'P12']);
    expect(r.purposes.map((p) => p.clause)).toEqual([1, 2, 2, 3, 3, 4, 5, 5, 6, 6, 7, 7]);
    expect(r.purposeClauses.map((c) => c.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(r.purposes.map((p) => p.clause))).toEqual(new Set(r.purposeClauses.map((c) => c.number)));
    expect(r.purposes[0]?.slug).toBe('staff-formation-and-competitive-selection');
  });

  it('keeps the purpose clauses literally, source errors included', () => {
    expect(r.purposeClauses[1]?.kk).toContain('байланысты байланысты');
    expect(r.purposeClauses[4]?.kk).toContain('жүргізуді, , оның ішінде');
    expect(r.purposeClauses[0]?.kk).toBe('мемлекеттік органның кадр құрамын қалыптастыру және конкурстық іріктеуді ұйымдастыру');
  });

  it('grounds every purpose in acts, and uses every act', () => {
    for (const p of r.purposes) expect(p.legalActs.length).toBeGreaterThan(0);
    expect(new Set(r.purposes.flatMap((p) => p.legalActs))).toEqual(new Set(r.legalActs.map((a) => a.code)));
    const acts = (code: string) => r.purposes.find((p) => p.code === code)?.legalActs;
    expect(acts('P05')).toEqual(['L4']);
    expect(acts('P06')).toEqual(['L2', 'L6']);
    expect(acts('P08')).toEqual(['L7']);
    expect(r.note).toContain('product mapping');
  });

  it('has the seven legal acts with their dates, numbers and registration numbers', () => {
    expect(r.legalActs.map((a) => [a.code, a.date, a.number, a.registrationNumber])).toEqual([
      ['L1', null, null, null],
      ['L2', '2018-03-15', '125', null],
      ['L3', '2015-12-29', '152', null],
      ['L4', '2016-10-21', '21', '14448'],
      ['L5', '2016-10-28', '27', '14468'],
      ['L6', '2017-01-20', '12', '14819'],
      ['L7', '2018-01-16', '13', '16299'],
    ]);
    expect(r.legalActs[0]?.titles.kk).toBe('Қазақстан Республикасының Еңбек кодексі');
    expect(r.legalActs[5]?.note).toContain('twice');
  });

  it('has the order metadata', () => {
    expect(r.order.number).toBe('328-Ө');
    expect(r.order.date).toBe('2025-12-04');
    expect(r.order.signedBy.kk).toBe('Е. Нысанбаев');
    expect(r.order.issuingBody.en).toBe('Ministry of Ecology and Natural Resources of the Republic of Kazakhstan');
    expect(r.order.basis.kk).toContain('25-бабы 2-тармағының 1) тармақшасы');
    expect(r.responsibleOfficial.position.kk).toBe('Персоналды басқару департаментінің директоры');
    expect(r.task.code).toBe('TASK_HR_SYSTEM');
  });

  it('has no known publication date and a provisional effective date of signing + 10 days', () => {
    expect(r.publication).toMatchObject({ date: null, known: false });
    expect(r.publication.note).toContain('2025-12-14');
    expect(r.effective).toEqual({ from: '2025-12-14', fromBasis: 'provisional', to: null });
  });

  it('has every kk, ru and en name non-empty, everywhere', () => {
    const names = allNames(r);
    expect(names.length).toBeGreaterThan(100);
    for (const [path, n] of names) {
      for (const lang of ['kk', 'ru', 'en'] as const) {
        expect({ path, lang, value: n[lang].trim().length > 0 }).toEqual({ path, lang, value: true });
      }
    }
  });

  it('writes ru without Kazakh letters and en without Cyrillic (no text pasted into the wrong language)', () => {
    for (const [path, n] of allNames(r)) {
      expect({ path, ru: /[әғқңөұүһіӘҒҚҢӨҰҮҺІ]/.test(n.ru) }).toEqual({ path, ru: false });
      expect({ path, en: /[\u0400-\u04FF]/.test(n.en) }).toEqual({ path, en: false });
    }
  });

  it('has unique slugs and codes', () => {
    const unique = (xs: readonly string[]) => expect(new Set(xs).size).toBe(xs.length);
    unique(r.categories.map((c) => c.slug));
    unique(r.purposes.map((p) => p.slug));
    unique(r.purposes.map((p) => p.code));
    unique(r.legalActs.map((a) => a.code));
    expect(r.categories.map((c) => c.slug)).toEqual([
      'full-name', 'iin', 'name-change', 'birth', 'nationality', 'sex', 'identity-document', 'citizenship', 'address',
      'contacts', 'email', 'portrait-photo', 'signature', 'education', 'special-check', 'criminal-record', 'oath-date',
      'tax-declaration', 'work-record-book', 'employment-history', 'awards', 'advanced-training',
      'performance-evaluation', 'military-registration', 'family-status', 'social-benefits', 'disability',
      'medical-results', 'disciplinary-penalties', 'pension',
    ]);
  });
});
