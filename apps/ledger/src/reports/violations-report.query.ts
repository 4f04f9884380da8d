import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ProjectionRunner, VIOLATIONS, violationsPage, type ViolationsFilter } from '@derbes/projections';
import { localDate, type ViolationCode } from '@derbes/ledger';
import { RegisterCatalog, type Lang } from '@derbes/register';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { readModel } from './read-model';
import { registerNames } from './register-names';
import type { TimeFormat } from './time-format';
import { violationText } from './violation.text';
import type { ViolationsReportDto } from './violations.dto';

/** One page of the reasons flagged records were flagged for, with counts over the whole filter. */
export class ViolationsReportQuery extends Query<ViolationsReportDto> {
  constructor(
    readonly filter: ViolationsFilter,
    /** A cursor the report returned (the controller has checked it). */
    readonly cursor: string | null,
    readonly limit: number,
    /** The position of the client's last write, to read it back. */
    readonly position: number | undefined,
    /** The language each reason's detail is worded in. */
    readonly lang: Lang,
    /** How the detail writes times: ISO 8601 as recorded by default; the console gives local times. */
    readonly time?: TimeFormat,
  ) {
    super();
  }
}

@QueryHandler(ViolationsReportQuery)
export class ViolationsReportHandler implements IQueryHandler<ViolationsReportQuery> {
  constructor(
    private readonly projections: ProjectionRunner,
    private readonly catalog: RegisterCatalog,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async execute(query: ViolationsReportQuery): Promise<ViolationsReportDto> {
    // Page, counts and position in one read transaction: the projections thread commits batches meanwhile.
    const { page, position } = await readModel(this.projections, VIOLATIONS, query.position, (tables, at) => ({
      page: violationsPage(tables, query.filter, query.cursor, query.limit), position: at,
    }));
    const names = registerNames(this.catalog, this.config.owner, query.lang);
    const items = page.items.map((item) => {
      const facts = {
        ...item, code: item.code as ViolationCode, category: item.category?.number ?? null,
        occurredOn: localDate(new Date(item.occurredAt), this.config.utcOffsetMinutes),
      };
      return { ...item, detail: violationText(facts, query.lang, names, query.time) };
    });
    return { ...page, items, position };
  }
}
