import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ProjectionRunner } from '@derbes/projections';
import { Allow } from '../auth/roles';

/** `name="value"` with the value escaped as the Prometheus text format wants. */
function label(name: string, value: string): string {
  return `${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/**
 * Metrics in the Prometheus text format: the log's last position and, per projection, the position it has applied
 * and its lag, so that a read model falling behind can raise an alert. Names no person.
 */
@ApiTags('health')
@Allow(['official', 'auditor', 'admin'])
@Controller('metrics')
export class MetricsController {
  constructor(private readonly projections: ProjectionRunner) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text format' })
  async metrics(): Promise<string> {
    const status = await this.projections.status();
    const lines = [
      '# HELP derbes_log_position Position of the last event in the global log.',
      '# TYPE derbes_log_position gauge',
      `derbes_log_position ${status[0]?.logPosition ?? 0}`,
      '# HELP derbes_projection_position Position of the global log the active read model has applied.',
      '# TYPE derbes_projection_position gauge',
      ...status.map((s) => `derbes_projection_position{${label('projection', s.name)}} ${s.active?.position ?? 0}`),
      '# HELP derbes_projection_lag Events of the global log the active read model has yet to apply.',
      '# TYPE derbes_projection_lag gauge',
      ...status.map((s) => `derbes_projection_lag{${label('projection', s.name)}} ${s.lag}`),
      '# HELP derbes_projection_stopped 1 when the projection stopped on an event it could not apply.',
      '# TYPE derbes_projection_stopped gauge',
      ...status.map((s) => `derbes_projection_stopped{${label('projection', s.name)}} ${s.error ? 1 : 0}`),
    ];
    return `${lines.join('\n')}\n`;
  }
}
