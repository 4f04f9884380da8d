import type { ViolationCode } from '@derbes/ledger';
import type { Lang } from '@derbes/register';
import { codeLabel } from '@derbes/reports';
import type { RegisterNames } from './register-names';
import type { TimeFormat } from './time-format';

/** What a violation's words are made of: the reason and the facts of the record it flags. */
export interface ViolationFacts {
  readonly code: ViolationCode;
  /** The category the reason is about, where the rule is about one. */
  readonly category: number | null;
  /** When the category was destroyed, depersonalized or blocked (state reasons); null when not recorded. */
  readonly since: string | null;
  readonly operation: string;
  /** Purpose code, e.g. P05. */
  readonly purpose: string;
  readonly occurredAt: string;
  /**
   * The local calendar day of occurredAt (the day a list is judged in force on), when the caller knows the offset:
   * the words then name it, since the instant in UTC can fall on the day before.
   */
  readonly occurredOn?: string;
  /** The approved list in force when the record happened, null when there was none. */
  readonly register: { readonly id: string; readonly version: number } | null;
  /** The recipient's country of a transfer. */
  readonly country: string | null;
}

interface Words {
  noRegister(at: string, day: string | undefined): string;
  purposeNotInRegister(purpose: string, register: string): string;
  categoryNotInRegister(category: string, register: string): string;
  purposeNotApproved(purpose: string, category: string, register: string): string;
  destroyed(operation: string, category: string, since: string): string;
  depersonalized(operation: string, category: string, since: string): string;
  blocked(operation: string, category: string, since: string): string;
  unrecordedTime: string;
  crossBorder(country: string): string;
}

// ru and kk are our renderings, like the alerts' and the register's: to be checked by a native speaker. In kk the
// facts stand after a dash or a colon, so that no case ending has to agree with a number or a name.
const WORDS: Record<Lang, Words> = {
  en: {
    noRegister: (at, day) => (day ? `no approved list of personal data was in force on ${day}, the local day of ${at}` : `no approved list of personal data was in force on ${at}`),
    purposeNotInRegister: (purpose, register) => `purpose ${purpose} is not in the approved list ${register}`,
    categoryNotInRegister: (category, register) => `category ${category} is not in the approved list ${register}`,
    purposeNotApproved: (purpose, category, register) => `purpose ${purpose} is not approved for category ${category} in the approved list ${register}`,
    destroyed: (operation, category, since) => `${operation} of category ${category}, destroyed at ${since}`,
    depersonalized: (operation, category, since) => `${operation} of category ${category}, depersonalised at ${since}`,
    blocked: (operation, category, since) => `${operation} of category ${category}, blocked since ${since}`,
    unrecordedTime: 'a time not recorded',
    crossBorder: (country) => `transfer to ${country} without a consent or treaty reference, and ${country} is not listed as a country of adequate protection`,
  },
  ru: {
    noRegister: (at, day) => `на ${day ? `${day} (местная дата ${at})` : at} не действовал утверждённый перечень персональных данных`,
    purposeNotInRegister: (purpose, register) => `цели ${purpose} нет в утверждённом перечне ${register}`,
    categoryNotInRegister: (category, register) => `категории ${category} нет в утверждённом перечне ${register}`,
    purposeNotApproved: (purpose, category, register) => `цель ${purpose} не утверждена для категории ${category} в перечне ${register}`,
    destroyed: (operation, category, since) => `${operation}: категория ${category} уничтожена ${since}`,
    depersonalized: (operation, category, since) => `${operation}: категория ${category} обезличена ${since}`,
    blocked: (operation, category, since) => `${operation}: категория ${category} заблокирована с ${since}`,
    unrecordedTime: 'время не записано',
    crossBorder: (country) => `передача в ${country} без ссылки на согласие или международный договор, и ${country} не указана среди стран с адекватной защитой`,
  },
  kk: {
    noRegister: (at, day) => `дербес деректердің бекітілген тізбесі қолданыста болмады: ${day ? `${day} (${at} жергілікті күні)` : at}`,
    purposeNotInRegister: (purpose, register) => `мақсат бекітілген тізбеде жоқ: ${purpose} (тізбе — ${register})`,
    categoryNotInRegister: (category, register) => `санат бекітілген тізбеде жоқ: ${category} (тізбе — ${register})`,
    purposeNotApproved: (purpose, category, register) => `мақсат санат үшін бекітілмеген: ${purpose}; санат — ${category} (тізбе — ${register})`,
    destroyed: (operation, category, since) => `${operation}: санат жойылған — ${category}; жойылған уақыты — ${since}`,
    depersonalized: (operation, category, since) => `${operation}: санат иесіздендірілген — ${category}; иесіздендірілген уақыты — ${since}`,
    blocked: (operation, category, since) => `${operation}: санат бұғатталған — ${category}; бұғатталған уақыты — ${since}`,
    unrecordedTime: 'жазылмаған',
    crossBorder: (country) => `шекара асыра беру: ${country}; келісімге немесе халықаралық шартқа сілтеме жоқ, ал бұл ел дербес деректерді тиісті қорғайтын елдер тізімінде көрсетілмеген`,
  },
};

/**
 * A violation in plain words of `lang`: the facts behind the reason (the reason itself has its label, `violation.*`
 * of the report messages). Category and purpose names come from the register in the same language; times are
 * written by `time` (ISO 8601 as recorded in the API, local time in the console).
 */
export function violationText(facts: ViolationFacts, lang: Lang, names: RegisterNames, time: TimeFormat = (iso) => iso): string {
  const w = WORDS[lang];
  const register = facts.register ? `${facts.register.id} v${facts.register.version}` : '—';
  const named = (name: string | null, code: string | number) => (name === null ? String(code) : `${code} (${name})`);
  const category = facts.category === null ? '—' : named(names.category(facts.category), facts.category);
  const purpose = named(names.purpose(facts.purpose), facts.purpose);
  const operation = codeLabel(lang, 'op', facts.operation);
  const since = facts.since === null ? w.unrecordedTime : time(facts.since);
  switch (facts.code) {
    case 'no-register-in-force': return w.noRegister(time(facts.occurredAt), facts.occurredOn);
    case 'purpose-not-in-register': return w.purposeNotInRegister(purpose, register);
    case 'category-not-in-register': return w.categoryNotInRegister(category, register);
    case 'purpose-not-approved-for-category': return w.purposeNotApproved(purpose, category, register);
    case 'category-destroyed': return w.destroyed(operation, category, since);
    case 'category-depersonalized': return w.depersonalized(operation, category, since);
    case 'blocked-data-processed': return w.blocked(operation, category, since);
    case 'cross-border-without-ground': return w.crossBorder(facts.country ?? '—');
  }
}
