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
 * When an open request's deadline, computed again, falls on another day (the operator corrected the working-day
 * calendar, or changed the ledger's UTC offset, which moves the local day a request arrived on), records the move
 * (SubjectRequestRetimed). Runs once at start-up, in the background, in the process that keeps the read models.
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

  /** Re-times every open request whose deadline moves; returns how many moved. */
  async run(): Promise<number> {
    const head = await this.store.lastPosition();
    if (!(await this.projections.waitFor(REQUEST_QUEUE, head, CATCH_UP_WAIT_MS))) {
      this.logger.warn('the request queue did not catch up; open deadlines were not re-checked against the calendar');
      return 0;
    }
    const calendarChanged = `working-day calendar ${this.calendar.id} ${this.calendar.version} (fingerprint ${this.calendar.fingerprint.slice(0, 12)}) replaced the one the deadline was computed on`;
    const offsetChanged = `the ledger's UTC offset (DERBES_UTC_OFFSET_MINUTES=${this.config.utcOffsetMinutes}) puts the request's arrival on another local day than the one the deadline was counted from`;
    let moved = 0;
    for (const request of openRequests(this.projections.tables(REQUEST_QUEUE))) {
      if (this.desk.deadlineFor(new Date(request.receivedAt), request.workingDays).date === request.deadline) continue;
      const reason = request.calendarFingerprint === this.calendar.fingerprint ? offsetChanged : calendarChanged;
      if (await this.desk.retime(request.requestId, request.subjectId, request.receivedAt, request.workingDays, reason, `retime-${randomUUID()}`)) moved++;
    }
    if (moved > 0) this.logger.warn(`the calendar or the UTC offset changed: ${moved} open request deadline(s) moved, each recorded in its subject's stream`);
    return moved;
  }
}
