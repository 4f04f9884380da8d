import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Inject } from '@nestjs/common';
import { WorkingDayCalendar, localDate } from '@derbes/ledger';
import { ProjectionRunner, REQUEST_QUEUE, closedRequests, openRequests, type QueuedRequest } from '@derbes/projections';
import { Clock } from '../clock';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { EntryTexts, type Shredded } from '../data-keys/shown-texts';
import { SubjectSealer, type TextOpener } from '../data-keys/subject-sealer';
import { readModel } from '../reports/read-model';
import type { QueueStatus } from './subject-request.dto';

/** A queued request with where it stands today. */
export interface QueueItem extends Omit<QueuedRequest, 'reasons'> {
  readonly dueToday: boolean;
  readonly overdue: boolean;
  /** For an open request past its deadline: working days since it. */
  readonly workingDaysOverdue: number;
  /**
   * A refusal's reasons, opened; null where crypto-shredding made one unreadable (named in `shredded`), and each null
   * for a caller who may not read per-person data (named in `sealed`).
   */
  readonly reasons: readonly (string | null)[];
  readonly shredded?: Shredded;
  readonly sealed?: { readonly fields: readonly string[] };
}

export interface QueuePage {
  /** The local date the queue was judged on. */
  readonly today: string;
  readonly status: QueueStatus;
  readonly items: QueueItem[];
  readonly nextCursor: string | null;
  /** The queue's log position: everything up to it is reflected. */
  readonly position: number;
}

export class RequestQueueQuery extends Query<QueuePage> {
  constructor(
    readonly status: QueueStatus,
    readonly due: 'today' | 'overdue' | undefined,
    readonly cursor: string | null,
    readonly limit: number,
    readonly position: number | undefined,
    /** Whether the caller may read per-person data (the official, an auditor with the subject-data grant). */
    readonly personal: boolean,
  ) {
    super();
  }
}

@QueryHandler(RequestQueueQuery)
export class RequestQueueHandler implements IQueryHandler<RequestQueueQuery> {
  constructor(
    private readonly projections: ProjectionRunner,
    private readonly calendar: WorkingDayCalendar,
    private readonly clock: Clock,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly sealer: SubjectSealer,
  ) {}

  async execute(query: RequestQueueQuery): Promise<QueuePage> {
    const today = localDate(this.clock.now(), this.config.utcOffsetMinutes);
    const judge = (r: QueuedRequest, opener?: TextOpener): QueueItem => {
      const open = r.status === 'open';
      const overdue = open && r.deadline < today;
      const judged = { ...r, dueToday: open && r.deadline === today, overdue, workingDaysOverdue: overdue ? this.calendar.workingDaysLate(r.deadline, today) : 0 };
      if (!opener) return { ...judged, ...unopened(r.reasons) };
      const texts = new EntryTexts(opener, r.subjectId);
      return { ...judged, reasons: r.reasons.map((reason, i) => texts.text('reasons', reason, `reasons[${i}]`)), ...texts.marker() };
    };
    const { status } = query;
    if (status !== 'open') {
      const { page, position } = await readModel(this.projections, REQUEST_QUEUE, query.position, (tables, at) => ({
        page: closedRequests(tables, status, query.cursor, query.limit), position: at,
      }));
      // The read model holds a refusal's reasons sealed: the page's are opened here, for this answer only, and only for
      // a caller who may read per-person data (the reasons may name the person).
      const opener = query.personal ? await this.sealer.opener(page.items.flatMap((r) => r.reasons.map((reason) => [r.subjectId, reason] as const))) : undefined;
      return { today, status: query.status, items: page.items.map((r) => judge(r, opener)), nextCursor: page.nextCursor, position };
    }
    const { open, position } = await readModel(this.projections, REQUEST_QUEUE, query.position, (tables, at) => ({
      open: openRequests(tables, query.due === undefined ? undefined : today), position: at,
    }));
    // An open request has no reasons yet: nothing to open.
    const items = open.map((r) => judge(r))
      .filter((r) => query.due !== 'overdue' || r.overdue)
      .filter((r) => query.due !== 'today' || r.dueToday);
    return { today, status: 'open', items, nextCursor: null, position };
  }
}

/**
 * A refusal's reasons left unopened: each null, named in `sealed.fields`, as the transfers report marks the texts it
 * never opens. The plain reasons of events before v2 too: they may name the person as well.
 */
function unopened(reasons: readonly string[]): Pick<QueueItem, 'reasons' | 'sealed'> {
  return reasons.length === 0 ? { reasons: [] } : { reasons: reasons.map(() => null), sealed: { fields: reasons.map((_, i) => `reasons[${i}]`) } };
}
