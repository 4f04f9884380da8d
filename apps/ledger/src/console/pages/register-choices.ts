import { Inject, Injectable } from '@nestjs/common';
import { OVERSIGHT_PURPOSE, OPERATIONS } from '@derbes/ledger';
import { codeLabel } from '@derbes/reports';
import { RegisterCatalog, type Lang } from '@derbes/register';
import { LEDGER_CONFIG } from '../../config/config.tokens';
import type { LedgerConfig } from '../../config/ledger-config';
import { registerNames } from '../../reports/register-names';
import type { Option } from '../views/forms';

/**
 * The choices of the console's forms, named in the reader's language from the registers (libs/register) and the
 * report's labels (libs/reports), so that the console and the access report call things alike.
 */
@Injectable()
export class RegisterChoices {
  private readonly owner: string;

  constructor(private readonly catalog: RegisterCatalog, @Inject(LEDGER_CONFIG) config: LedgerConfig) {
    this.owner = config.owner;
  }

  /** Every category the owner's registers list, by number, with its latest name. */
  categories(lang: Lang): Option[] {
    const names = registerNames(this.catalog, this.owner, lang);
    const numbers = new Set(this.owned().flatMap((r) => r.categories.map((c) => c.number)));
    return [...numbers].sort((a, b) => a - b).map((n) => ({ value: String(n), label: `${n}. ${names.category(n) ?? ''}` }));
  }

  /** Every purpose the owner's registers list, by code. */
  purposes(lang: Lang): Option[] {
    const names = registerNames(this.catalog, this.owner, lang);
    const codes = new Set(this.owned().flatMap((r) => r.purposes.map((p) => p.code)));
    return [...codes].sort().map((code) => ({ value: code, label: `${code}: ${names.purpose(code) ?? code}` }));
  }

  /** What a reader may state as the purpose of reading a file: internal control, or a purpose of the register. */
  readPurposes(lang: Lang): Option[] {
    const oversight = registerNames(this.catalog, this.owner, lang).purpose(OVERSIGHT_PURPOSE.code) ?? OVERSIGHT_PURPOSE.code;
    return [{ value: OVERSIGHT_PURPOSE.code, label: oversight }, ...this.purposes(lang)];
  }

  operations(lang: Lang): Option[] {
    return OPERATIONS.map((op) => ({ value: op, label: codeLabel(lang, 'op', op) }));
  }

  private owned() {
    return this.catalog.all().filter((r) => r.owner === this.owner);
  }
}
