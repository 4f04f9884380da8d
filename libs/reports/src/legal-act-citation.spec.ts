import { BUILT_IN_REGISTERS } from '@derbes/register';
import { citeLegalAct } from './legal-act-citation';

const acts = BUILT_IN_REGISTERS.find((r) => r.order.number === '328-Ө')?.legalActs ?? [];
const act = (code: string) => {
  const found = acts.find((a) => a.code === code);
  if (!found) throw new Error(`no act ${code} in Order 328-Ө`);
  return found;
};

describe('citeLegalAct', () => {
  it('cites an act with its kind, date, number and title, in each language\'s word order', () => {
    expect(citeLegalAct(act('L3'), 'ru')).toBe('Указ Президента Республики Казахстан от 29 декабря 2015 года № 152 «О некоторых вопросах прохождения государственной службы»');
    expect(citeLegalAct(act('L3'), 'en')).toBe('Decree of the President of the Republic of Kazakhstan of 29 December 2015 No. 152 "On some issues of performing civil service"');
    expect(citeLegalAct(act('L3'), 'kk')).toBe('«Мемлекеттік қызмет өткерудің кейбір мәселелері туралы» 2015 жылғы 29 желтоқсандағы № 152 Қазақстан Республикасы Президентінің Жарлығы');
  });

  it('adds the state registration number where the act has one', () => {
    const l6 = act('L6');
    expect(l6.registrationNumber).toBe('14819');
    expect(citeLegalAct(l6, 'ru')).toMatch(/^.+ от 20 января 2017 года № 12 «Об утверждении Правил стажировки административных государственных служащих» \(зарегистрирован в Реестре государственной регистрации нормативных правовых актов под № 14819\)$/);
    expect(citeLegalAct(l6, 'kk')).toMatch(/ 2017 жылғы 20 қаңтардағы № 12 .+ \(Нормативтік құқықтық актілерді мемлекеттік тіркеу тізілімінде № 14819 болып тіркелген\)$/);
    expect(citeLegalAct(l6, 'en')).toMatch(/ of 20 January 2017 No\. 12 ".+" \(registered in the State Register of Normative Legal Acts under No\. 14819\)$/);
  });

  it('cites by title alone an act the order gives neither a date nor a number for', () => {
    expect(citeLegalAct(act('L1'), 'ru')).toBe('Трудовой кодекс Республики Казахстан');
  });

  it('has a citation for every act of the order in every language, with its number', () => {
    for (const a of acts) {
      for (const lang of ['kk', 'ru', 'en'] as const) {
        const citation = citeLegalAct(a, lang);
        expect(citation).toContain(a.titles[lang]);
        if (a.number !== null) expect(citation).toContain(a.number);
        expect(citation).not.toMatch(/undefined|null/);
      }
    }
  });
});
