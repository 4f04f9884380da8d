import { Inject, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@derbes/event-store';
import { ProjectionRunner } from '@derbes/projections';
import { SubjectPseudonymizer, WorkingDayCalendar, loadCalendarFile, mergeCalendars } from '@derbes/ledger';
import { BUILT_IN_REGISTERS, CodeNames, RegisterCatalog, loadCodeNamesFile, loadRegistersFile } from '@derbes/register';
import { Clock } from './clock';
import { LEDGER_CONFIG } from './config/config.tokens';
import type { LedgerConfig } from './config/ledger-config';
import { resolvePseudonymKey, type PseudonymKey } from './config/pseudonym-key';
import { PSEUDONYM_KEY_ORIGIN, PseudonymKeyCheck } from './config/pseudonym-key-check';
import { eventStoreProvider } from './event-store.provider';
import { projectionRunnerProvider } from './projections.provider';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { ProcessingRecorder } from './processing-records/processing-recorder';
import { ProcessingRecordsController } from './processing-records/processing-records.controller';
import { RecordProcessingHandler } from './processing-records/record-processing.command';
import { SubjectStateCache } from './processing-records/subject-state.cache';
import { RegisterController } from './register/register.controller';
import { ListSubjectEventsHandler } from './subjects/subject-events.query';
import { SubjectsController } from './subjects/subjects.controller';
import { ReaderAudit } from './subjects/reader-audit';
import { SubjectHistoryController } from './subjects/subject-history.controller';
import { SubjectHistoryHandler } from './subjects/subject-history.query';
import { SummaryController } from './reports/summary.controller';
import { SummaryReportHandler } from './reports/summary.query';
import { TransfersController } from './reports/transfers.controller';
import { TransfersReportHandler } from './reports/transfers.query';
import { SubjectInventoryController } from './subjects/subject-inventory.controller';
import { SubjectInventoryHandler } from './subjects/subject-inventory.query';
import { ViolationsController } from './reports/violations.controller';
import { ViolationsReportHandler } from './reports/violations-report.query';
import { ActorActivityController } from './reports/actor-activity.controller';
import { ActorActivityReportHandler } from './reports/actor-activity.query';
import { SourceSystemsController } from './reports/source-systems.controller';
import { SourceSystemsReportHandler } from './reports/source-systems.query';
import { HeartbeatsController } from './source-systems/heartbeats.controller';
import { RecordHeartbeatHandler } from './source-systems/record-heartbeat.command';
import { AccessReportController } from './subjects/access-report.controller';
import { AccessReports } from './subjects/access-reports';
import { DeadlineRetimer } from './subject-requests/deadline-retimer';
import { RequestQueueHandler } from './subject-requests/request-queue.query';
import { SubjectRequestDesk } from './subject-requests/subject-request-desk';
import { SubjectRequestsController } from './subject-requests/subject-requests.controller';
import { ApiKeys } from './auth/api-keys';
import { AuthGuard } from './auth/auth.guard';
import { UnexpectedQueryGuard } from './http/unexpected-query.guard';
import { KeysController } from './auth/keys.controller';
import { SubjectLinks } from './auth/subject-links';
import { SubjectLinksController } from './auth/subject-links.controller';
import { dataKeyStoreProvider } from './data-keys/data-key-store.provider';
import { KeyDestructions } from './data-keys/key-destructions';
import { SubjectSealer } from './data-keys/subject-sealer';
import { SubjectShredder } from './data-keys/subject-shredder';
import { SubjectShreddingController } from './data-keys/subject-shredding.controller';
import { IntegrityController } from './integrity/integrity.controller';
import { IntegrityLog } from './integrity/integrity-log.service';
import { CONSOLE } from './console/console.parts';

/** What start-up reads from files before the container is built, so that its errors surface plainly. */
export interface StartupData {
  readonly catalog: RegisterCatalog;
  readonly pseudonymizer: SubjectPseudonymizer;
  /** Where the pseudonym key came from, for PseudonymKeyCheck. */
  readonly pseudonymKeyOrigin: Omit<PseudonymKey, 'key'>;
  /** The built-in working-day calendar with the operator's corrections (DERBES_CALENDAR_FILE) merged in. */
  readonly calendar: WorkingDayCalendar;
  /** Names of units, roles and systems: the ledger's own, and DERBES_NAMES_FILE's (checked here, a bad field named). */
  readonly names: CodeNames;
}

/** Loads the registers (built-in and DERBES_REGISTERS_FILE) and the pseudonym key; throws naming what is wrong. */
export function loadStartupData(config: LedgerConfig): StartupData {
  const extra = config.registersFile ? loadRegistersFile(config.registersFile) : [];
  const catalog = RegisterCatalog.withOverrides(BUILT_IN_REGISTERS, extra, { utcOffsetMinutes: config.utcOffsetMinutes, ...(config.registersFile ? { extraSource: config.registersFile } : {}) });
  // An owner with no list would make every record a 400 "unknown category", as if each sender were at fault.
  if (!catalog.owners().includes(config.owner)) {
    throw new Error(`DERBES_OWNER: no register of owner ${JSON.stringify(config.owner)} is loaded (owners: ${catalog.owners().join(', ')}); `
      + 'name one of them, or give its register in DERBES_REGISTERS_FILE');
  }
  const { key, ...pseudonymKeyOrigin } = resolvePseudonymKey(config.pseudonymKey, config.dataDir, new Logger('config'));
  return {
    catalog,
    pseudonymizer: new SubjectPseudonymizer(key),
    pseudonymKeyOrigin,
    calendar: config.calendarFile
      ? WorkingDayCalendar.fromData(mergeCalendars(WorkingDayCalendar.builtInData(), loadCalendarFile(config.calendarFile)))
      : WorkingDayCalendar.builtIn(),
    names: new CodeNames(config.namesFile ? loadCodeNamesFile(config.namesFile) : null),
  };
}

/** What runs once the app has stopped and its store has closed. */
const AFTER_STOP = Symbol('AFTER_STOP');

/** The composition root. Built from an already validated configuration, so tests pass their own. */
@Module({})
export class AppModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projections: ProjectionRunner,
    @Inject(AFTER_STOP) private readonly afterStop: () => void,
  ) {}

  /** `afterStop` runs once the store has closed, the last step of stopping (serve releases the data directory there). */
  static register(config: LedgerConfig, clock: Clock, loaded: StartupData, afterStop: () => void = () => undefined): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot()],
      controllers: [ProcessingRecordsController, SubjectsController, RegisterController, HealthController,
        MetricsController, SummaryController, TransfersController,
        SubjectInventoryController, ViolationsController, ActorActivityController, SubjectHistoryController,
        AccessReportController, SubjectRequestsController, KeysController, SubjectLinksController,
        HeartbeatsController, SourceSystemsController,
        SubjectShreddingController, IntegrityController, ...CONSOLE.controllers],
      providers: [
        { provide: LEDGER_CONFIG, useValue: config },
        { provide: AFTER_STOP, useValue: afterStop },
        { provide: Clock, useValue: clock },
        { provide: RegisterCatalog, useValue: loaded.catalog },
        { provide: SubjectPseudonymizer, useValue: loaded.pseudonymizer },
        { provide: PSEUDONYM_KEY_ORIGIN, useValue: loaded.pseudonymKeyOrigin },
        PseudonymKeyCheck,
        { provide: WorkingDayCalendar, useValue: loaded.calendar },
        { provide: CodeNames, useValue: loaded.names },
        eventStoreProvider,
        projectionRunnerProvider,
        SubjectStateCache,
        ProcessingRecorder,
        ReaderAudit,
        RecordProcessingHandler,
        ListSubjectEventsHandler,
        SubjectHistoryHandler,
        SummaryReportHandler,
        TransfersReportHandler,
        SubjectInventoryHandler,
        ViolationsReportHandler,
        ActorActivityReportHandler,
        AccessReports,
        SubjectRequestDesk,
        RequestQueueHandler,
        RecordHeartbeatHandler,
        SourceSystemsReportHandler,
        DeadlineRetimer,
        ApiKeys,
        SubjectLinks,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: UnexpectedQueryGuard },
        dataKeyStoreProvider,
        SubjectSealer,
        KeyDestructions,
        SubjectShredder,
        IntegrityLog,
        ...CONSOLE.providers,
      ],
    };
  }

  // The module's own hook runs after every provider's (Nest calls the module class last).
  async onApplicationShutdown(): Promise<void> {
    try {
      await this.projections.stop();
      await this.store.close();
    } finally {
      this.afterStop();
    }
  }
}
