import type { UnusualActivity } from '@derbes/projections';
import type { Lang } from '@derbes/register';

type Sentence = (f: UnusualActivity) => string;

// ru and kk are our renderings, like the register's ru/en names: to be checked by a native speaker.
const WHAT: Record<Lang, Record<UnusualActivity['kind'], Sentence>> = {
  en: {
    subjects: (f) => `On ${f.day} ${f.actorId} processed the data of ${f.count} distinct subjects`,
    sensitive: (f) => `On ${f.day} ${f.actorId} made ${f.count} records touching sensitive categories`,
  },
  ru: {
    subjects: (f) => `${f.day} ${f.actorId} обработал(а) данные ${f.count} разных субъектов`,
    sensitive: (f) => `${f.day} ${f.actorId} сделал(а) ${f.count} записей с чувствительными категориями`,
  },
  kk: {
    subjects: (f) => `${f.day} күні ${f.actorId} ${f.count} түрлі субъектінің деректерін өңдеді`,
    sensitive: (f) => `${f.day} күні ${f.actorId} сезімтал санаттарды қамтитын ${f.count} жазба жасады`,
  },
};

const WHY: Record<Lang, Sentence> = {
  en: (f) =>
    `: at least the minimum of ${f.minimum} and at least ${f.factor} × their own usual level of ${f.ownBaseline} ` +
    `(median of the ${f.windowDays} days before), and more than ${f.factor} × the level of unit ${f.unit}, ${f.unitBaseline} ` +
    `(the higher of its other actors' median over those days, ${f.unitUsual}, and on the day, ${f.unitSameDay}).`,
  ru: (f) =>
    `: не меньше минимума ${f.minimum} и не меньше ${f.factor} × собственного обычного уровня ${f.ownBaseline} ` +
    `(медиана за ${f.windowDays} предыдущих дней) и больше ${f.factor} × уровня подразделения ${f.unit}, ${f.unitBaseline} ` +
    `(большее из медианы других сотрудников подразделения за те же дни, ${f.unitUsual}, и в этот день, ${f.unitSameDay}).`,
  // Numbers stand alone (after a dash or colon) so that no case ending has to agree with them.
  kk: (f) =>
    `: ең төменгі шек — ${f.minimum}, өзінің әдеттегі деңгейі — ${f.ownBaseline} (алдыңғы ${f.windowDays} күннің медианасы), ` +
    `${f.unit} бөлімшесінің деңгейі — ${f.unitBaseline} (басқа қызметкерлердің сол күндердегі медианасы: ${f.unitUsual}, ` +
    `осы күнгі медианасы: ${f.unitSameDay}; екеуінің үлкені). Саны ең төменгі шектен және өз деңгейінің ${f.factor} ` +
    `еселенген мәнінен кем емес, бөлімше деңгейінің ${f.factor} еселенген мәнінен артық.`,
};

/** Why a day was flagged, in one sentence with the numbers the rule compared. */
export function unusualActivityReason(flag: UnusualActivity, lang: Lang): string {
  return WHAT[lang][flag.kind](flag) + WHY[lang](flag);
}
