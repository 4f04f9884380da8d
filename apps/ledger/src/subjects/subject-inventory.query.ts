import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ProjectionRunner, SUBJECT_INVENTORY, subjectInventory } from '@derbes/projections';
import { RegisterCatalog, type Lang } from '@derbes/register';
import { Clock } from '../clock';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { readModel } from '../reports/read-model';
import { registerNames } from '../reports/register-names';
import type { SubjectInventoryDto } from './subject-inventory.dto';

/** What the ledger knows of each category of a subject's data; null when it knows nothing about the subject. */
export class SubjectInventoryQuery extends Query<SubjectInventoryDto | null> {
  constructor(
    readonly subjectId: string,
    readonly lang: Lang,
    /** The position of the client's last write, to read it back. */
    readonly position: number | undefined,
  ) {
    super();
  }
}

@QueryHandler(SubjectInventoryQuery)
export class SubjectInventoryHandler implements IQueryHandler<SubjectInventoryQuery> {
  constructor(
    private readonly projections: ProjectionRunner,
    private readonly catalog: RegisterCatalog,
    private readonly clock: Clock,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async execute(query: SubjectInventoryQuery): Promise<SubjectInventoryDto | null> {
    const tables = await readModel(this.projections, SUBJECT_INVENTORY, query.position);
    // Read synchronously after the wait, so the position is exactly what the rows reflect.
    const position = this.projections.position(SUBJECT_INVENTORY);
    const categories = subjectInventory(tables, query.subjectId, this.listedCategories());
    if (!categories) return null;
    const names = registerNames(this.catalog, this.config.owner, query.lang);
    return {
      subjectId: query.subjectId,
      lang: query.lang,
      categories: categories.map(({ slug, ...c }) => ({
        number: c.number, code: slug, name: names.category(c.number) ?? slug, known: c.known, held: c.held,
        sources: c.sources.map((s) => ({ ...s })), firstProcessedAt: c.firstProcessedAt, lastProcessedAt: c.lastProcessedAt,
        lastChangedAt: c.lastChangedAt, recipients: c.recipients.map((r) => ({ ...r })), blockedAt: c.blockedAt,
        destroyedAt: c.destroyedAt, depersonalizedAt: c.depersonalizedAt,
      })),
      position,
    };
  }

  /** The owner's register in force now, or its latest version when none is (before the first, after the last). */
  private listedCategories(): readonly { number: number; slug: string }[] {
    const register = this.catalog.inForce(this.config.owner, this.clock.now()) ?? this.catalog.all().filter((r) => r.owner === this.config.owner).at(-1);
    return register?.categories ?? [];
  }
}
