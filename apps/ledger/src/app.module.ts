import { Inject, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@derbes/event-store';
import { SubjectPseudonymizer } from '@derbes/ledger';
import { BUILT_IN_REGISTERS, RegisterCatalog, loadRegistersFile } from '@derbes/register';
import { Clock } from './clock';
import { LEDGER_CONFIG } from './config/config.tokens';
import type { LedgerConfig } from './config/ledger-config';
import { resolvePseudonymKey } from './config/pseudonym-key';
import { eventStoreProvider } from './event-store.provider';
import { HealthController } from './health/health.controller';
import { ProcessingRecorder } from './processing-records/processing-recorder';
import { ProcessingRecordsController } from './processing-records/processing-records.controller';
import { RecordProcessingHandler } from './processing-records/record-processing.command';
import { SubjectStateCache } from './processing-records/subject-state.cache';
import { RegisterController } from './register/register.controller';
import { ListSubjectEventsHandler } from './subjects/subject-events.query';
import { SubjectsController } from './subjects/subjects.controller';

/** The composition root. Built from an already validated configuration, so tests pass their own. */
@Module({})
export class AppModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  static register(config: LedgerConfig, clock: Clock = new Clock()): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot()],
      controllers: [ProcessingRecordsController, SubjectsController, RegisterController, HealthController],
      providers: [
        { provide: LEDGER_CONFIG, useValue: config },
        { provide: Clock, useValue: clock },
        {
          provide: RegisterCatalog,
          useFactory: () => {
            const extra = config.registersFile ? loadRegistersFile(config.registersFile) : [];
            return RegisterCatalog.withOverrides(BUILT_IN_REGISTERS, extra, { utcOffsetMinutes: config.utcOffsetMinutes });
          },
        },
        {
          provide: SubjectPseudonymizer,
          useFactory: () => new SubjectPseudonymizer(resolvePseudonymKey(config.pseudonymKey, config.dataDir, new Logger('config'))),
        },
        eventStoreProvider,
        SubjectStateCache,
        ProcessingRecorder,
        RecordProcessingHandler,
        ListSubjectEventsHandler,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
