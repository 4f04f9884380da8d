import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import {
  ProjectionRunner, TRANSFERS, transfersPage, transfersTotals, type TransferEntry, type TransfersFilter, type TransfersTotals,
} from '@derbes/projections';
import { RegisterCatalog, type Lang } from '@derbes/register';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { EntryTexts, type Shredded } from '../data-keys/shown-texts';
import { sealedKeyVersion } from '../data-keys/sealed-text';
import { SubjectSealer, type TextOpener } from '../data-keys/subject-sealer';
import { readModel } from './read-model';
import { registerNames } from './register-names';
import type { ReportPeriod } from './report-period';

/**
 * A transfer with the names of what was transferred, in the language asked, and its sealed texts (a person's name,
 * the ground's reference) opened: null, and named in `shredded`, once the subject's data key was destroyed.
 */
export interface TransferItem extends Omit<TransferEntry, 'categories' | 'purpose' | 'recipient' | 'transferGround'> {
  readonly categories: { readonly number: number; readonly name: string | null }[];
  readonly purpose: { readonly code: string; readonly name: string | null };
  /** `kind` is person exactly when the name was sealed, which the ledger does for persons only. */
  readonly recipient: { readonly name: string | null; readonly country: string; readonly kind: 'organization' | 'person' };
  readonly transferGround: { readonly kind: string; readonly reference: string | null } | null;
  readonly shredded?: Shredded;
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
    private readonly sealer: SubjectSealer,
  ) {}

  async execute(query: TransfersReportQuery): Promise<TransfersReport> {
    const tables = await readModel(this.runner, TRANSFERS, query.position);
    // Page, totals and position are read in one turn: the runner applies events between turns, so they agree.
    const position = this.runner.position(TRANSFERS);
    const period = { from: query.period.from.toISOString(), to: query.period.to.toISOString() };
    const filter = { ...query.filter, ...period };
    const page = transfersPage(tables, filter, query.cursor, query.limit);
    const totals = transfersTotals(tables, filter);
    const names = registerNames(this.catalog, this.config.owner, query.lang);
    const opener = await this.sealer.opener(page.items.flatMap((e) =>
      [e.recipient.name, e.transferGround?.reference].map((text) => [e.subjectId, text] as const)));
    const items = page.items.map((entry): TransferItem => ({
      ...entry,
      categories: entry.categories.map((number) => ({ number, name: names.category(number) })),
      purpose: { code: entry.purpose, name: names.purpose(entry.purpose) },
      ...openTexts(entry, opener),
    }));
    return { ...period, items, totals, nextCursor: page.nextCursor, position };
  }
}

function openTexts(entry: TransferEntry, opener: TextOpener): Pick<TransferItem, 'recipient' | 'transferGround' | 'shredded'> {
  const texts = new EntryTexts(opener, entry.subjectId);
  const { recipient, transferGround } = entry;
  return {
    recipient: {
      name: texts.text('recipient.name', recipient.name), country: recipient.country,
      kind: sealedKeyVersion(recipient.name) === null ? 'organization' : 'person',
    },
    transferGround: transferGround && { kind: transferGround.kind, reference: texts.text('transferGround.reference', transferGround.reference) },
    ...texts.marker(),
  };
}
