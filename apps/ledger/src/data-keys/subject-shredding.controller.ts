import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { SUBJECT_ID_PATTERN, containsIin } from '@derbes/ledger';
import { actorOf } from '../auth/principal';
import { Allow } from '../auth/roles';
import { LedgerError, type FieldError } from '../ledger-errors';
import { SubjectShredder, type ShredOutcome } from './subject-shredder';
import { NOT_BLANK, TEXT } from '../http/text-patterns';


export class ShredSubjectDto {
  @ApiProperty({
    description: 'Why the data is destroyed, in words (kept in clear in the ledger: must not name the person or contain an IIN)',
    example: 'storage period ended (Order 279-НҚ, personal file closed in 1951)',
  })
  @IsString() @Length(1, 500) @Matches(TEXT, { message: 'reason must not contain control characters or bidirectional overrides' })
  reason: string;
}

export class ShredOutcomeDto {
  @ApiProperty() subjectId: string;
  @ApiProperty({ format: 'date-time' }) destroyedAt: string;
  @ApiProperty({ format: 'uuid', description: 'The SubjectDataKeyDestroyed event' }) eventId: string;
  @ApiProperty({ description: 'Its position in the log: pass as `position` to read it back' }) position: number;
}

@ApiTags('subjects')
@Controller('v1/subjects')
export class SubjectShreddingController {
  constructor(private readonly shredder: SubjectShredder) {}

  @Post(':subjectId/shred')
  @HttpCode(200)
  @Allow(['official'], { personal: true })
  @ApiParam({ name: 'subjectId', description: 'From POST /v1/subjects/lookup' })
  @ApiOperation({
    summary: "Destroys the subject's data key at the end of the storage period (Art. 18): their events stay as metadata, their notes, " +
      "persons' names and document references become unreadable for good. Answering a destruction request does the same.",
  })
  @ApiOkResponse({ type: ShredOutcomeDto, description: 'The key is destroyed and SubjectDataKeyDestroyed recorded' })
  @ApiBadRequestResponse({ description: 'A malformed subjectId, or a reason missing or holding an IIN' })
  @ApiNotFoundResponse({ description: 'subject_not_found: the ledger holds nothing about this subject' })
  shred(@Param('subjectId') subjectId: string, @Body() body: ShredSubjectDto, @Req() request: FastifyRequest): Promise<ShredOutcome> {
    const errors: FieldError[] = [];
    if (!SUBJECT_ID_PATTERN.test(subjectId)) errors.push({ field: 'subjectId', reason: 'must be 64 lowercase hex characters, from POST /v1/subjects/lookup' });
    if (!NOT_BLANK.test(body.reason)) errors.push({ field: 'reason', reason: 'must be a reason in words' });
    if (containsIin(body.reason)) errors.push({ field: 'reason', reason: 'must not contain an IIN' });
    if (errors.length > 0) throw LedgerError.invalid(errors);
    return this.shredder.shred(subjectId, body.reason, actorOf(request), String(request.id));
  }
}
