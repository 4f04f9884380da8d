import { OVERSIGHT_PURPOSE, SUBJECT_RIGHTS_PURPOSE } from '@derbes/ledger';
import type { ReportLanguage } from './access-report.model';

type Names = Readonly<Record<ReportLanguage, string>>;

/** Names of the purposes and the basis the ledger itself uses, which are in no order's register. */
export const LEDGER_PURPOSE_NAMES: Readonly<Record<string, Names>> = {
  [OVERSIGHT_PURPOSE.code]: {
    kk: 'Дербес деректерді өңдеуді ішкі бақылау (Заңның 25-бабының 3-тармағы)',
    ru: 'Внутренний контроль за обработкой персональных данных (п. 3 ст. 25 Закона)',
    en: 'Internal control of personal-data processing (Law, Art. 25 para 3)',
  },
  [SUBJECT_RIGHTS_PURPOSE.code]: {
    kk: 'Дербес деректер субъектісінің өтінішін орындау (Заңның 24–25-баптары)',
    ru: 'Исполнение обращения субъекта персональных данных (ст. 24–25 Закона)',
    en: "Carrying out the data subject's request (Law, Arts. 24-25)",
  },
};

export const LEDGER_BASIS_TITLES: Readonly<Record<string, Names>> = {
  [SUBJECT_RIGHTS_PURPOSE.legalBasis[0]]: {
    kk: '«Дербес деректер және оларды қорғау туралы» 2013 жылғы 21 мамырдағы № 94-V Қазақстан Республикасының Заңы, 24–25-баптар',
    ru: 'Закон Республики Казахстан от 21 мая 2013 года № 94-V «О персональных данных и их защите», статьи 24–25',
    en: 'Law of the Republic of Kazakhstan No. 94-V of 21 May 2013 "On personal data and their protection", Arts. 24-25',
  },
};
