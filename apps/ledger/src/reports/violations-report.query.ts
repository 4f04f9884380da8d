import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ProjectionRunner, VIOLATIONS, violationsPage, type ViolationsFilter } from '@derbes/projections';
import { readModel } from './read-model';
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
  ) {
    super();
  }
}

@QueryHandler(ViolationsReportQuery)
export class ViolationsReportHandler implements IQueryHandler<ViolationsReportQuery> {
  constructor(private readonly projections: ProjectionRunner) {}

  async execute(query: ViolationsReportQuery): Promise<ViolationsReportDto> {
    const tables = await readModel(this.projections, VIOLATIONS, query.position);
    // Read synchronously after the wait, so the position is exactly what the page and counts reflect.
    const position = this.projections.position(VIOLATIONS);
    return { ...violationsPage(tables, query.filter, query.cursor, query.limit), position };
  }
}
