import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, isEsdbLocation, type EventStore } from '@derbes/event-store';
import { ProjectionRunner } from '@derbes/projections';
import { RegisterCatalog } from '@derbes/register';
import { Clock } from '../clock';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { Public } from '../auth/roles';
import { diskSpace, healthStatus, writtenDirectories } from './health-status';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly catalog: RegisterCatalog,
    private readonly clock: Clock,
    private readonly projections: ProjectionRunner,
  ) {}

  @Get()
  @ApiOkResponse({
    description: 'The ledger answers and its store can be read; `status` is `ok`, or `degraded` with `problems` (a projection stopped or paused, '
      + 'a disk where it writes nearly full); the free space where it writes; projections with their lag behind the log',
  })
  async health() {
    const lastPosition = await this.store.lastPosition();
    const register = this.catalog.inForce(this.config.owner, this.clock.now());
    const projections = await this.projections.status();
    const disks = diskSpace(writtenDirectories(this.config));
    return {
      ...healthStatus(projections, disks),
      store: { kind: isEsdbLocation(this.config.eventStore) ? 'eventstoredb' : this.config.eventStore === ':memory:' ? 'sqlite-memory' : 'sqlite', lastPosition },
      register: register ? { id: register.id, version: register.version } : null,
      disks,
      projections,
      time: this.clock.now().toISOString(),
    };
  }
}
