import type { LegalAct } from '@derbes/register';
import type { ReportLanguage } from './access-report.model';

/*
 * An act cited as Kazakhstan's legal texts cite one, so that a person can find it: its kind, date, number and state
 * registration number besides its title (the register's codes L1..L7 are ours, not the order's). Word order and
 * date forms per language, as in the Law 94-V citation of ledger-purposes.ts:
 *   kk  «<title>» 2015 жылғы 29 желтоқсандағы № 152 <kind> (Нормативтік ... № 14819 болып тіркелген)
 *   ru  <kind> от 29 декабря 2015 года № 152 «<title>» (зарегистрирован ... под № 14819)
 *   en  <kind> of 29 December 2015 No. 152 "<title>" (registered ... under No. 14819)
 * An act the order gives neither a date nor a number for (the Labour Code) is cited by its title alone.
 */

/** Kazakh month names with the attributive locative ending a date takes before a noun ("29 желтоқсандағы"). */
const KK_MONTHS_ATTRIBUTIVE = [
  'қаңтардағы', 'ақпандағы', 'наурыздағы', 'сәуірдегі', 'мамырдағы', 'маусымдағы',
  'шілдедегі', 'тамыздағы', 'қыркүйектегі', 'қазандағы', 'қарашадағы', 'желтоқсандағы',
];
const RU_MONTHS_GENITIVE = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'];
const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function dateParts(date: string): { year: number; month: number; day: number } {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

export function citeLegalAct(act: LegalAct, lang: ReportLanguage): string {
  const title = act.titles[lang];
  if (act.date === null && act.number === null) return title;
  const d = act.date === null ? null : dateParts(act.date);
  const kind = act.kind[lang];
  switch (lang) {
    case 'kk': {
      const parts = [`«${title}»`];
      if (d) parts.push(`${d.year} жылғы ${d.day} ${KK_MONTHS_ATTRIBUTIVE[d.month - 1]}`);
      if (act.number !== null) parts.push(`№ ${act.number}`);
      parts.push(kind);
      if (act.registrationNumber !== null) parts.push(`(Нормативтік құқықтық актілерді мемлекеттік тіркеу тізілімінде № ${act.registrationNumber} болып тіркелген)`);
      return parts.join(' ');
    }
    case 'ru': {
      const parts = [kind];
      if (d) parts.push(`от ${d.day} ${RU_MONTHS_GENITIVE[d.month - 1]} ${d.year} года`);
      if (act.number !== null) parts.push(`№ ${act.number}`);
      parts.push(`«${title}»`);
      if (act.registrationNumber !== null) parts.push(`(зарегистрирован в Реестре государственной регистрации нормативных правовых актов под № ${act.registrationNumber})`);
      return parts.join(' ');
    }
    case 'en': {
      const parts = [kind];
      if (d) parts.push(`of ${d.day} ${EN_MONTHS[d.month - 1]} ${d.year}`);
      if (act.number !== null) parts.push(`No. ${act.number}`);
      parts.push(`"${title}"`);
      if (act.registrationNumber !== null) parts.push(`(registered in the State Register of Normative Legal Acts under No. ${act.registrationNumber})`);
      return parts.join(' ');
    }
    default: {
      const unknown: never = lang;
      throw new Error(`no citation form for language ${String(unknown)}`);
    }
  }
}
