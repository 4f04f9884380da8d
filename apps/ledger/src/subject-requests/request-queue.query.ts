import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Inject } from '@nestjs/common';
import { WorkingDayCalendar, localDate } from '@derbes/ledger';
import { ProjectionRunner, REQUEST_QUEUE, closedRequests, openRequests, type QueuedRequest } from '@derbes/projections';
import { Clock } from '../clock';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { readModel } from '../reports/read-model';
import type { QueueStatus } from './subject-request.dto';

/** A queued request with where it stands today. */
export interface QueueItem extends QueuedRequest {
  readonly dueToday: boolean;
  readonly overdue: boolean;
  /** For an open request past its deadline: working days since it. */
  readonly workingDaysOverdue: number;
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
  ) {}

  async execute(query: RequestQueueQuery): Promise<QueuePage> {
    const tables = await readModel(this.projections, REQUEST_QUEUE, query.position);
    const position = this.projections.position(REQUEST_QUEUE);
    const today = localDate(this.clock.now(), this.config.utcOffsetMinutes);
    const judge = (r: QueuedRequest): QueueItem => {
      const open = r.status === 'open';
      const overdue = open && r.deadline < today;
      return { ...r, dueToday: open && r.deadline === today, overdue, workingDaysOverdue: overdue ? this.calendar.workingDaysLate(r.deadline, today) : 0 };
    };
    if (query.status !== 'open') {
      const page = closedRequests(tables, query.status, query.cursor, query.limit);
      return { today, status: query.status, items: page.items.map(judge), nextCursor: page.nextCursor, position };
    }
    const items = openRequests(tables, query.due === undefined ? undefined : today).map(judge)
      .filter((r) => query.due !== 'overdue' || r.overdue)
      .filter((r) => query.due !== 'today' || r.dueToday);
    return { today, status: 'open', items, nextCursor: null, position };
  }
}
