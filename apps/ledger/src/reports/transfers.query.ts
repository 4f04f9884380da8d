import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import {
  ProjectionRunner, TRANSFERS, transfersPage, transfersTotals, type TransferEntry, type TransfersFilter, type TransfersTotals,
} from '@derbes/projections';
import { SEALED_TEXT_PREFIX } from '@derbes/ledger';
import { RegisterCatalog, type Lang } from '@derbes/register';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { readModel } from './read-model';
import { registerNames } from './register-names';
import type { ReportPeriod } from './report-period';

/**
 * The texts of a transfer that name a person, which this report never shows: a report naming no person is not a
 * read of anyone's file, so it is not recorded. They are null here and named in `sealed.fields`; the subject's
 * history, events, inventory and access report open them, and record that read.
 */
export interface SealedTexts {
  readonly fields: readonly ('recipient.name' | 'transferGround.reference')[];
}

/**
 * A transfer with the names of what was transferred, in the language asked. A person recipient's name and the
 * ground's reference (consent and treaty documents name the person) are null, named in `sealed`; an
 * organization's name, never sealed, is shown.
 */
export interface TransferItem extends Omit<TransferEntry, 'categories' | 'purpose' | 'recipient' | 'transferGround'> {
  readonly categories: { readonly number: number; readonly name: string | null }[];
  readonly purpose: { readonly code: string; readonly name: string | null };
  /** `kind` is person exactly when the name is sealed, which the ledger does for persons only; the name is then null. */
  readonly recipient: { readonly name: string | null; readonly country: string; readonly kind: 'organization' | 'person' };
  /** `reference` is always null: sealed from v3, and naming the person in the plain texts of earlier events too. */
  readonly transferGround: { readonly kind: string; readonly reference: null } | null;
  readonly sealed?: SealedTexts;
}

export interface TransfersReport {
  readonly from: string;
  readonly to: string;
  readonly items: TransferItem[];
  readonly totals: TransfersTotals;
  readonly nextCursor: string | null;
  /** The log position the read model had applied when the report was read. */
  readonly position: number;
}

/** Transfers to third parties and abroad over a period, one page newest first, with totals over every page. */
export class TransfersReportQuery extends Query<TransfersReport> {
  constructor(
    readonly period: ReportPeriod,
    readonly filter: Omit<TransfersFilter, 'from' | 'to'>,
    /** From the previous page's nextCursor, already checked with decodeTransfersCursor. */
    readonly cursor: string | null,
    readonly limit: number,
    readonly lang: Lang,
    /** The client's last write: wait until the read model has applied it. */
    readonly position: number | undefined,
  ) {
    super();
  }
}

@QueryHandler(TransfersReportQuery)
export class TransfersReportHandler implements IQueryHandler<TransfersReportQuery> {
  constructor(
    private readonly runner: ProjectionRunner,
    private readonly catalog: RegisterCatalog,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async execute(query: TransfersReportQuery): Promise<TransfersReport> {
    const period = { from: query.period.from.toISOString(), to: query.period.to.toISOString() };
    const filter = { ...query.filter, ...period };
    // Page, totals and position in one read transaction, so they agree though the projections thread commits meanwhile.
    const { page, totals, position } = await readModel(this.runner, TRANSFERS, query.position, (tables, at) => ({
      page: transfersPage(tables, filter, query.cursor, query.limit), totals: transfersTotals(tables, filter), position: at,
    }));
    const names = registerNames(this.catalog, this.config.owner, query.lang);
    const items = page.items.map((entry): TransferItem => ({
      ...entry,
      categories: entry.categories.map((number) => ({ number, name: names.category(number) })),
      purpose: { code: entry.purpose, name: names.purpose(entry.purpose) },
      ...withoutPersonalTexts(entry),
    }));
    return { ...period, items, totals, nextCursor: page.nextCursor, position };
  }
}

/** The entry's recipient and ground with every text that names a person left out (never opened), and the marker. */
function withoutPersonalTexts(entry: TransferEntry): Pick<TransferItem, 'recipient' | 'transferGround' | 'sealed'> {
  const { recipient, transferGround } = entry;
  // As the totals count persons: a name in the sealed format (SEALED_TEXT_PREFIX), which is never shown.
  const person = recipient.name.startsWith(SEALED_TEXT_PREFIX);
  const fields = [...(person ? ['recipient.name' as const] : []), ...(transferGround ? ['transferGround.reference' as const] : [])];
  return {
    recipient: { name: person ? null : recipient.name, country: recipient.country, kind: person ? 'person' : 'organization' },
    transferGround: transferGround && { kind: transferGround.kind, reference: null },
    ...(fields.length > 0 ? { sealed: { fields } } : {}),
  };
}
