import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNotAcceptableResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiPropertyOptional, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { REPORT_FORMATS, type ReportFormat } from '@derbes/reports';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DATA_SUBJECT_READER, SUBJECT_ID_PATTERN, SUBJECT_RIGHTS_PURPOSE, subjectStreamId } from '@derbes/ledger';
import { LedgerError } from '../ledger-errors';
import { SubjectStateCache } from '../processing-records/subject-state.cache';
import { AccessReportQueryDto, PDF_TOO_LARGE, reportForms } from '../subjects/access-report.controller';
import { AccessReports } from '../subjects/access-reports';
import { setReportHeaders } from '../subjects/report-headers';
import { Allow, OpenedBySubjectLink } from './roles';
import { MAX_LINK_HOURS, SubjectLinks } from './subject-links';

export class NewSubjectLinkDto {
  @ApiPropertyOptional({ default: 72, description: `Hours until the link expires, 1 to ${MAX_LINK_HOURS}` })
  @IsOptional() @IsInt() @Min(1) @Max(MAX_LINK_HOURS)
  hours?: number;
}

/** The query of the subject's own report: as the official's, but a person opening a link gets the page (HTML) by default. */
export class SubjectLinkReportQueryDto extends AccessReportQueryDto {
  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'html' }) @IsOptional() @IsIn(REPORT_FORMATS)
  declare format?: ReportFormat;
}

/** The data subject, as the ledger records their own reads of their report. */
@ApiTags('subjects')
@Controller('v1')
export class SubjectLinksController {
  constructor(
    private readonly links: SubjectLinks,
    private readonly reports: AccessReports,
    private readonly subjects: SubjectStateCache,
  ) {}

  @Post('subjects/:subjectId/access-links')
  @HttpCode(201)
  @ApiBearerAuth()
  @Allow(['official'], { personal: true })
  @ApiOperation({ summary: "A signed, expiring link for the subject to open their own access report (and nothing else)" })
  async issue(@Param('subjectId') subjectId: string, @Body() body: NewSubjectLinkDto): Promise<{ token: string; path: string; expiresAt: string }> {
    if (!SUBJECT_ID_PATTERN.test(subjectId)) throw LedgerError.invalid([{ field: 'subjectId', reason: 'must be 64 lowercase hex characters' }]);
    // A link to a report of nobody would only ever answer 404: say so now, to the official.
    if ((await this.subjects.load(subjectStreamId(subjectId))).revision < 0) {
      throw new LedgerError('subject_not_found', 'the ledger holds nothing about this subject');
    }
    const { token, expiresAt } = this.links.issue(subjectId, body.hours ?? 72);
    return { token, path: `/v1/access-report/${token}`, expiresAt };
  }

  @Get('access-report/:token')
  @OpenedBySubjectLink()
  @ApiOperation({ summary: "The subject's own access report, opened with their link; recorded as their read" })
  @ApiParam({ name: 'token', description: 'From POST /v1/subjects/{subjectId}/access-links: signed, expiring, for this subject only' })
  @ApiOkResponse(reportForms('The report (HTML by default)'))
  @ApiBadRequestResponse({ description: 'A malformed lang or format' })
  @ApiUnauthorizedResponse({ description: 'The link is not valid: forged, altered, expired or revoked (unauthenticated)' })
  @ApiNotFoundResponse({ description: 'The ledger holds nothing about the subject (subject_not_found)' })
  @ApiNotAcceptableResponse(PDF_TOO_LARGE)
  async report(
    @Param('token') _token: string, @Query() query: SubjectLinkReportQueryDto, @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | Buffer> {
    const subjectId = request.subjectLink?.subjectId;
    if (!subjectId) throw new LedgerError('unauthenticated', 'this link is not valid');
    const language = query.lang ?? 'kk';
    const format = query.format ?? 'html';
    const made = await this.reports.make(subjectId, language, format, {
      reader: { actor: DATA_SUBJECT_READER, purpose: { code: SUBJECT_RIGHTS_PURPOSE.code, slug: SUBJECT_RIGHTS_PURPOSE.slug } },
      view: `GET /v1/access-report/{token} (${language}, ${format})`, correlationId: String(request.id),
    });
    if (!made) throw new LedgerError('subject_not_found', 'the ledger holds nothing about you');
    const { rendered } = made;
    setReportHeaders(reply, rendered.contentType);
    void reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    return rendered.body;
  }
}
