import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import {
  ACTOR_ACTIVITY,
  ProjectionRunner,
  UNUSUAL_ACTIVITY_RULE,
  actorActivitySummaries,
  unusualActivityIn,
  type ActorActivityScope,
} from '@derbes/projections';
import { RegisterCatalog, type Lang } from '@derbes/register';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import type { ActorActivityDto, ActorActivityReportDto, UnusualActivityDto } from './actor-activity.dto';
import { readModel } from './read-model';
import { registerNames } from './register-names';
import { unusualActivityReason } from './unusual-activity.reason';

/** Per actor over a period: subjects, records per operation, sensitive categories; and the days flagged unusual. */
export class ActorActivityReportQuery extends Query<ActorActivityReportDto> {
  constructor(
    readonly scope: ActorActivityScope,
    readonly lang: Lang,
    /** Position of the client's last write, to wait for. */
    readonly position: number | undefined,
  ) {
    super();
  }
}

@QueryHandler(ActorActivityReportQuery)
export class ActorActivityReportHandler implements IQueryHandler<ActorActivityReportQuery> {
  constructor(
    private readonly projections: ProjectionRunner,
    private readonly catalog: RegisterCatalog,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async execute({ scope, lang, position }: ActorActivityReportQuery): Promise<ActorActivityReportDto> {
    // Summaries, flags and position in one read transaction: the projections thread commits batches meanwhile.
    const read = await readModel(this.projections, ACTOR_ACTIVITY, position, (tables, at) => ({
      summaries: actorActivitySummaries(tables, scope), flags: unusualActivityIn(tables, scope, UNUSUAL_ACTIVITY_RULE), at,
    }));
    const names = registerNames(this.catalog, this.config.owner, lang);
    const actors: ActorActivityDto[] = read.summaries.map((a) => ({
      ...a,
      sensitiveCategories: a.sensitiveCategories.map((c) => ({ number: c.number, code: c.slug, name: names.category(c.number) ?? c.slug, records: c.records })),
    }));
    const unusual: UnusualActivityDto[] = read.flags.map((flag) => ({
      ...flag,
      reason: unusualActivityReason(flag, lang),
    }));
    return { from: scope.from, to: scope.to, lang, rule: { ...UNUSUAL_ACTIVITY_RULE }, actors, unusual, position: read.at };
  }
}
