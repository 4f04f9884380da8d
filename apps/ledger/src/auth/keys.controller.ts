import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { codeContainsIin, containsIin, isReservedActorCode, RESERVED_ACTOR_IDS } from '@derbes/ledger';
import { LedgerError } from '../ledger-errors';
import { GRANTS, type Grant } from './api-key.events';
import { ApiKeys, type ApiKey } from './api-keys';
import { actorOf } from './principal';
import { Allow, ROLES, type Role } from './roles';
import { CODE_RULE, IsUnambiguousCode } from '../http/look-alike-codes';
import { CODE, NOT_BLANK, TEXT } from '../http/text-patterns';


export class NewApiKeyDto {
  @ApiProperty({ example: 'hr-director', description: `The holder, recorded as the actor of what the key does. ${CODE_RULE}` })
  @IsString() @Length(1, 100) @Matches(CODE, { message: 'name must be a code: letters, digits and . _ : @ / -' }) @IsUnambiguousCode()
  name: string;

  @ApiProperty({ enum: ROLES }) @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ example: 'personnel-management', description: `The holder's unit (default: the role). ${CODE_RULE}` })
  @IsOptional() @IsString() @Length(1, 200) @Matches(CODE, { message: 'unit must be a code: letters, digits and . _ : @ / -' }) @IsUnambiguousCode()
  unit?: string;

  @ApiPropertyOptional({ example: 'hr-portal', description: 'For an emitter (required): the one source system it records as' })
  @IsOptional() @IsString() @Length(1, 64) @Matches(/^[a-z0-9][a-z0-9._-]*$/, { message: 'system must be a lowercase code' })
  system?: string;

  @ApiPropertyOptional({ enum: GRANTS, isArray: true, description: 'subject-data: an auditor may read per-person data' })
  @IsOptional() @IsArray() @ArrayMaxSize(GRANTS.length) @IsIn(GRANTS, { each: true })
  grants?: Grant[];
}

export class RevokeApiKeyDto {
  @ApiProperty({ example: 'left the unit' }) @IsString() @Length(1, 500) @Matches(TEXT, { message: 'reason must not contain control characters or bidirectional overrides' })
  reason: string;
}

const NO_IIN = 'must not contain an IIN: a key names its holder and unit by codes, and they are recorded in the log';

/** Checks what goes with what, and that no IIN is in what is recorded of the key; throws a 400 naming the field. */
export function checkNewKey(key: { name: string; unit?: string | undefined; role: Role; system?: string | undefined; grants?: readonly Grant[] | undefined }): void {
  if (codeContainsIin(key.name)) throw LedgerError.invalid([{ field: 'name', reason: NO_IIN }]);
  if (RESERVED_ACTOR_IDS.includes(key.name.toLowerCase())) {
    throw LedgerError.invalid([{ field: 'name', reason: `"${key.name}" is a name the ledger records for itself (${RESERVED_ACTOR_IDS.join(', ')}): choose another` }]);
  }
  if (key.unit !== undefined && codeContainsIin(key.unit)) throw LedgerError.invalid([{ field: 'unit', reason: NO_IIN }]);
  // The holder's reads are recorded with this unit: `self` would show them as the data subject's own, `derbes` as the ledger's.
  if (key.unit !== undefined && isReservedActorCode('unit', key.unit)) {
    throw LedgerError.invalid([{ field: 'unit', reason: `"${key.unit}" is a unit the ledger records for itself (the data subject, the ledger): choose another` }]);
  }
  if (key.system && codeContainsIin(key.system)) throw LedgerError.invalid([{ field: 'system', reason: NO_IIN }]);
  // `derbes` is the system of the records the ledger makes itself: an emitter recording as it would pass for the ledger.
  if (key.system && RESERVED_ACTOR_IDS.includes(key.system.toLowerCase())) {
    throw LedgerError.invalid([{ field: 'system', reason: `"${key.system}" is the ledger's own system code: choose another` }]);
  }
  if (key.role === 'emitter' && !key.system) throw LedgerError.invalid([{ field: 'system', reason: 'is required for an emitter: the system it records as' }]);
  if (key.role !== 'emitter' && key.system) throw LedgerError.invalid([{ field: 'system', reason: 'only an emitter is bound to a system' }]);
  if (key.grants?.includes('subject-data') && key.role !== 'auditor') throw LedgerError.invalid([{ field: 'grants', reason: 'subject-data is a grant for auditors only' }]);
}

/** A revocation's reason is recorded in the log: no IIN in it. Throws a 400 naming the field. */
export function checkRevokeReason(reason: string): void {
  // Recorded as why the key stopped working: spaces alone say nothing (the DTO already refuses an empty one).
  if (!NOT_BLANK.test(reason)) throw LedgerError.invalid([{ field: 'reason', reason: 'must say why, not be blank: it is recorded in the log' }]);
  if (containsIin(reason)) throw LedgerError.invalid([{ field: 'reason', reason: 'must not contain an IIN: it is recorded in the log' }]);
}

@ApiTags('admin')
@ApiBearerAuth()
@Allow(['admin'])
@Controller('v1/admin/keys')
export class KeysController {
  constructor(private readonly keys: ApiKeys) {}

  @Get()
  @ApiOperation({ summary: 'Every API key (never its secret), revoked ones included' })
  list(): Promise<ApiKey[]> {
    return this.keys.list();
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Creates a key; its token is shown in this answer only. Recorded in the administrative stream.' })
  async create(@Body() body: NewApiKeyDto, @Req() req: FastifyRequest): Promise<{ token: string; key: ApiKey }> {
    checkNewKey(body);
    return this.keys.create({ name: body.name, role: body.role, unit: body.unit ?? body.role, system: body.system ?? null, grants: body.grants ?? [] }, actorOf(req).id);
  }

  @Post(':keyId/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revokes a key at once. Recorded in the administrative stream.' })
  async revoke(@Param('keyId') keyId: string, @Body() body: RevokeApiKeyDto, @Req() req: FastifyRequest): Promise<ApiKey> {
    // Named in the answer only once it has the shape of one (the path may hold anything, of any length).
    if (!/^[0-9a-f]{12}$/.test(keyId)) throw LedgerError.invalid([{ field: 'keyId', reason: 'must be a key id: 12 lowercase hex characters, as `derbes keys list` shows' }]);
    checkRevokeReason(body.reason);
    if (!(await this.keys.revoke(keyId, actorOf(req).id, body.reason))) throw new LedgerError('key_not_found', `no live key ${keyId}: unknown, or revoked already`);
    return this.keys.get(keyId) as ApiKey;
  }
}
