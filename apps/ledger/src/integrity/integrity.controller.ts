import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { PublicKeyInfo } from '@derbes/integrity';
import type { StoredTreeHead } from '@derbes/projections';
import { Allow, Public } from '../auth/roles';
import { LedgerError } from '../ledger-errors';
import { ConsistencyDto, ConsistencyQueryDto, InclusionDto, InclusionQueryDto, PublicKeyDto, TreeHeadDto, TreeHeadSizeParams } from './integrity.dto';
import { IntegrityLog, type ConsistencyAnswer, type InclusionAnswer } from './integrity-log.service';

@ApiTags('integrity')
@Allow(['official', 'auditor', 'admin'])
@Controller('v1/integrity')
export class IntegrityController {
  constructor(private readonly log: IntegrityLog) {}

  @Get('keys')
  @Public()
  @ApiOperation({ summary: 'The public keys that verify signed tree heads (every version); open to anyone' })
  @ApiOkResponse({ type: [PublicKeyDto] })
  @ApiForbiddenResponse({ description: 'forbidden: this replica does not sign tree heads (DERBES_TREE_HEAD_SIGNER=off); ask the signer' })
  keys(): readonly PublicKeyInfo[] {
    return this.log.publicKeys();
  }

  @Get('tree-heads/latest')
  @ApiOperation({ summary: 'The last signed tree head' })
  @ApiOkResponse({ type: TreeHeadDto })
  @ApiNotFoundResponse({ description: 'tree_head_not_found: none signed yet' })
  latest(): Promise<StoredTreeHead> {
    return this.log.latest();
  }

  @Post('tree-heads')
  @HttpCode(201)
  @ApiOperation({ summary: 'Signs the tree as it stands now (once it has caught up with the log) and appends the head to the log' })
  @ApiCreatedResponse({ type: TreeHeadDto, description: 'A new head' })
  @ApiOkResponse({ type: TreeHeadDto, description: 'The log has not grown since the last head: that head' })
  @ApiForbiddenResponse({ description: 'forbidden: this replica does not sign tree heads (DERBES_TREE_HEAD_SIGNER=off); the signer does' })
  async sign(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<StoredTreeHead> {
    refuseAnyField(body);
    const { head, created } = await this.log.sign();
    if (!created) void reply.status(200);
    return head;
  }

  @Get('tree-heads/:size')
  @ApiOperation({ summary: 'The signed tree head of exactly this size' })
  @ApiOkResponse({ type: TreeHeadDto })
  @ApiNotFoundResponse({ description: 'tree_head_not_found' })
  ofSize(@Param() params: TreeHeadSizeParams): Promise<StoredTreeHead> {
    return this.log.ofSize(Number(params.size));
  }

  @Get('inclusion')
  @ApiOperation({ summary: 'RFC 9162 proof that an event is in the tree of a given size' })
  @ApiOkResponse({ type: InclusionDto })
  @ApiBadRequestResponse({ description: 'A malformed id or size, or a size beyond the log or below the event\'s position' })
  @ApiNotFoundResponse({ description: 'event_not_found' })
  inclusion(@Query() query: InclusionQueryDto): Promise<InclusionAnswer> {
    // Event ids are stored in lower case (a record's id is lowered when it is recorded): any case finds it.
    return this.log.inclusion(query.eventId.toLowerCase(), Number(query.treeSize));
  }

  @Get('consistency')
  @ApiOperation({ summary: 'RFC 9162 proof that the tree of size `to` extends the tree of size `from`' })
  @ApiOkResponse({ type: ConsistencyDto })
  @ApiBadRequestResponse({ description: 'A malformed size, from above to, or a size beyond the log' })
  consistency(@Query() query: ConsistencyQueryDto): Promise<ConsistencyAnswer> {
    return this.log.consistency(Number(query.from), Number(query.to));
  }
}

/** A route that takes no body takes none, or `{}`: a field is refused as unknown, as in every other body. */
function refuseAnyField(body: unknown): void {
  if (body === undefined || body === null) return;
  if (typeof body !== 'object' || Array.isArray(body)) throw LedgerError.invalid([{ field: '(body)', reason: 'this route takes no body (or {})' }]);
  const fields = Object.keys(body);
  if (fields.length > 0) throw LedgerError.invalid(fields.map((field) => ({ field, reason: 'is not a known field' })));
}
