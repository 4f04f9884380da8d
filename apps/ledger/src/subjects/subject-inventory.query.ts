import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@derbes/event-store';
import { ProjectionRunner, SUBJECT_INVENTORY, subjectInventory, unknownCategory, type InventoryCategory } from '@derbes/projections';
import { RegisterCatalog, type Lang } from '@derbes/register';
import { Clock } from '../clock';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { EntryTexts } from '../data-keys/shown-texts';
import { SubjectSealer, type TextOpener } from '../data-keys/subject-sealer';
import { readModel } from '../reports/read-model';
import { registerNames } from '../reports/register-names';
import type { InventoryRecipientDto, InventorySourceDto, SubjectInventoryDto } from './subject-inventory.dto';
import { subjectKnown } from './subject-events.query';

/** What the ledger knows of each category of a subject's data; null when it knows nothing about the subject (no stream). */
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
    private readonly sealer: SubjectSealer,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute(query: SubjectInventoryQuery): Promise<SubjectInventoryDto | null> {
    const listed = this.listedCategories();
    // The rows and the position in one read transaction, so the position is exactly what the rows reflect.
    const found = await readModel(this.projections, SUBJECT_INVENTORY, query.position, (tables, at) => ({
      categories: subjectInventory(tables, query.subjectId, listed), position: at,
    }));
    // A subject with no record of any category (only a request of theirs, say) is known all the same, every category
    // as not known: as for /events, the stream decides.
    const categories = found.categories ?? ((await subjectKnown(this.store, query.subjectId)) ? listed.map(unknownCategory) : null);
    if (!categories) return null;
    const names = registerNames(this.catalog, this.config.owner, query.lang);
    const opener = await this.sealer.opener(categories.flatMap((c) =>
      [...c.sources.map((s) => s.name), ...c.recipients.map((r) => r.name)].map((text) => [query.subjectId, text] as const)));
    return {
      subjectId: query.subjectId,
      lang: query.lang,
      categories: categories.map(({ slug, ...c }) => ({
        number: c.number, code: slug, name: names.category(c.number) ?? slug, known: c.known, held: c.held,
        sources: shownSources(c, query.subjectId, opener), firstProcessedAt: c.firstProcessedAt, lastProcessedAt: c.lastProcessedAt,
        lastChangedAt: c.lastChangedAt, recipients: shownRecipients(c, query.subjectId, opener), blockedAt: c.blockedAt,
        destroyedAt: c.destroyedAt, depersonalizedAt: c.depersonalizedAt,
      })),
      position: found.position,
    };
  }

  /** The owner's register in force now, or its latest version when none is (before the first, after the last). */
  private listedCategories(): readonly { number: number; slug: string }[] {
    const register = this.catalog.inForce(this.config.owner, this.clock.now()) ?? this.catalog.all().filter((r) => r.owner === this.config.owner).at(-1);
    return register?.categories ?? [];
  }
}

/**
 * The read model keeps sealed names, each sealed apart (a random IV each time), so one third party or person named
 * in two records is two rows there: opened, they are listed once. Names that no longer open are each listed, as
 * null with `shredded`: whether they were the same is no longer known.
 */
function distinct<T extends object>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    if ('shredded' in item) return true;
    const key = JSON.stringify(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function shownSources(c: Pick<InventoryCategory, 'sources'>, subjectId: string, opener: TextOpener): InventorySourceDto[] {
  return distinct(c.sources.map((s): InventorySourceDto => {
    if (s.name === undefined) return { kind: s.kind };
    const texts = new EntryTexts(opener, subjectId);
    return { kind: s.kind, name: texts.text('source.name', s.name, 'name'), ...texts.marker() };
  }));
}

function shownRecipients(c: Pick<InventoryCategory, 'recipients'>, subjectId: string, opener: TextOpener): InventoryRecipientDto[] {
  return distinct(c.recipients.map((r): InventoryRecipientDto => {
    const texts = new EntryTexts(opener, subjectId);
    return { name: texts.text('recipient.name', r.name, 'name'), country: r.country, ...texts.marker() };
  }));
}
