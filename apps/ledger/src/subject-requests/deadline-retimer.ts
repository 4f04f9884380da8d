import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@derbes/event-store';
import { WorkingDayCalendar } from '@derbes/ledger';
import { ProjectionRunner, REQUEST_QUEUE, openRequests } from '@derbes/projections';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { SubjectRequestDesk } from './subject-request-desk';

const CATCH_UP_WAIT_MS = 10 * 60_000;

/**
 * When the working-day calendar differs from the one an open request's deadline was computed on (the operator
 * corrected it), recomputes that deadline and records the move (SubjectRequestRetimed). Only the calendar is new: the
 * length and the first day are the request's own, as received. Runs once at start-up, in the background, in the
 * process that keeps the read models.
 */
@Injectable()
export class DeadlineRetimer implements OnApplicationBootstrap {
  private readonly logger = new Logger('deadlines');
  /** The start-up run; tests await it. */
  done: Promise<number> = Promise.resolve(0);

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly projections: ProjectionRunner,
    private readonly calendar: WorkingDayCalendar,
    private readonly desk: SubjectRequestDesk,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runProjections) return;
    this.done = this.run().catch((error: unknown) => {
      this.logger.error(`re-timing open requests failed: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    });
  }

  /** Re-times every open request computed on another calendar; returns how many deadlines moved. */
  async run(): Promise<number> {
    const head = await this.store.lastPosition();
    if (!(await this.projections.waitFor(REQUEST_QUEUE, head, CATCH_UP_WAIT_MS))) {
      this.logger.warn('the request queue did not catch up; open deadlines were not re-checked against the calendar');
      return 0;
    }
    const reason = `working-day calendar ${this.calendar.id} ${this.calendar.version} (fingerprint ${this.calendar.fingerprint.slice(0, 12)}) replaced the one the deadline was computed on`;
    let moved = 0;
    for (const request of openRequests(this.projections.tables(REQUEST_QUEUE))) {
      if (request.calendarFingerprint === this.calendar.fingerprint) continue;
      const { requestId, subjectId, receivedAt, workingDays, firstDay } = request;
      if (await this.desk.retime(requestId, subjectId, receivedAt, workingDays, firstDay, reason, `retime-${randomUUID()}`)) moved++;
    }
    if (moved > 0) this.logger.warn(`the calendar changed: ${moved} open request deadline(s) moved, each recorded in its subject's stream`);
    return moved;
  }
}
