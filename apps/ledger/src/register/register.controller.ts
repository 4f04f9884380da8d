import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { RegisterCatalog, type Register } from '@derbes/register';
import { Clock } from '../clock';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { LedgerError } from '../ledger-errors';
import { instantProblem, parseInstant } from '../processing-records/normalize-record';
import { Allow } from '../auth/roles';

/** A register's identity and validity, without its contents. */
export interface RegisterVersionSummary {
  readonly id: string;
  readonly version: number;
  readonly owner: string;
  readonly order: { readonly number: string; readonly date: string };
  readonly publication: Register['publication'];
  readonly effective: Register['effective'];
  readonly categories: number;
  readonly purposes: number;
  readonly inForceNow: boolean;
}

/** `GET /v1/register/current`'s one parameter: a misspelt one is a 400, never silently the register in force now. */
export class RegisterAtQueryDto {
  @ApiPropertyOptional({ description: 'ISO 8601 instant; default now' }) @IsOptional() @IsString()
  at?: string;
}

@ApiTags('register')
@Allow(['emitter', 'official', 'auditor', 'admin'])
@Controller('v1/register')
export class RegisterController {
  constructor(
    private readonly catalog: RegisterCatalog,
    private readonly clock: Clock,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'Every loaded register version, by owner and effective date' })
  list(): { owner: string; registers: RegisterVersionSummary[] } {
    const now = this.clock.now();
    return {
      owner: this.config.owner,
      registers: this.catalog.all().map((r) => ({
        id: r.id,
        version: r.version,
        owner: r.owner,
        order: { number: r.order.number, date: r.order.date },
        publication: r.publication,
        effective: r.effective,
        categories: r.categories.length,
        purposes: r.purposes.length,
        inForceNow: this.catalog.inForce(r.owner, now) === r,
      })),
    };
  }

  @Get('current')
  @ApiOkResponse({ description: "The owner's register in force now (or at `at`), in full" })
  @ApiNotFoundResponse({ description: 'No register is in force at that moment' })
  current(@Query() query: RegisterAtQueryDto): Register {
    let when = this.clock.now();
    const at = query.at;
    if (at !== undefined) {
      const parsed = parseInstant(at);
      if (!parsed) throw LedgerError.invalid([{ field: 'at', reason: instantProblem(at) ?? 'is not an instant' }]);
      when = parsed;
    }
    const register = this.catalog.inForce(this.config.owner, when);
    if (!register) throw new LedgerError('no_register_in_force', `no register of ${this.config.owner} is in force at ${when.toISOString()}`);
    return register;
  }
}
