import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotAcceptableResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SUBJECT_ID_PATTERN } from '@derbes/ledger';
import { REPORT_FORMATS, REPORT_LANGUAGES, type ReportFormat, type ReportLanguage } from '@derbes/reports';
import { LedgerError } from '../ledger-errors';
import { AccessReports } from './access-reports';
import { setReportHeaders } from './report-headers';
import { ReaderAudit, ReaderHeaders } from './reader-audit';
import { Allow } from '../auth/roles';

export class AccessReportQueryDto {
  @ApiPropertyOptional({ enum: REPORT_LANGUAGES, default: 'kk' }) @IsOptional() @IsIn(REPORT_LANGUAGES)
  lang?: ReportLanguage;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json' }) @IsOptional() @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

/** The 200 of every route that gives the report: one of three forms, as `format` asks. */
export function reportForms(description: string) {
  return {
    description,
    content: {
      'application/json': { schema: { type: 'object' as const, description: 'libs/reports/src/access-report.schema.json, signed as a whole (VERIFY-REPORT.md)' } },
      'text/html': { schema: { type: 'string' as const } },
      'application/pdf': { schema: { type: 'string' as const, format: 'binary' } },
    },
  };
}

/** The 406 of every route that gives the report as PDF (AccessReportPdfThread). */
export const PDF_TOO_LARGE = {
  description: 'A PDF too large to lay out on this server (report_too_large): the read is recorded all the same; json or html give the same entries',
};

@ApiTags('subjects')
@Allow(['official', 'auditor'], { personal: true })
@Controller('v1/subjects')
export class AccessReportController {
  constructor(
    private readonly reports: AccessReports,
    private readonly audit: ReaderAudit,
  ) {}

  @Get(':subjectId/access-report')
  @ApiOperation({
    summary: "The subject's access report (Law 94-V, Art. 24): what is held, why, from where, for how long, who processed it and who got it",
    description: 'The same entries in JSON (schema: libs/reports/src/access-report.schema.json), HTML and PDF. Producing it is recorded as a read of the file, first: the report ends with that read.',
  })
  @ApiParam({ name: 'subjectId', description: 'From POST /v1/subjects/lookup' })
  @ApiOkResponse(reportForms('The report (JSON by default)'))
  @ApiBadRequestResponse({ description: 'A malformed subjectId, lang, format or reader header' })
  @ApiNotFoundResponse({ description: 'The ledger holds nothing about this subject (subject_not_found)' })
  @ApiNotAcceptableResponse(PDF_TOO_LARGE)
  @ReaderHeaders()
  async report(
    @Param('subjectId') subjectId: string, @Query() query: AccessReportQueryDto, @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | Buffer> {
    const reader = this.audit.reader(request);
    if (!SUBJECT_ID_PATTERN.test(subjectId)) {
      throw LedgerError.invalid([{ field: 'subjectId', reason: 'must be 64 lowercase hex characters, from POST /v1/subjects/lookup' }]);
    }
    const language = query.lang ?? 'kk';
    const format = query.format ?? 'json';
    const made = await this.reports.make(subjectId, language, format, {
      reader, view: `GET /v1/subjects/{subjectId}/access-report (${language}, ${format})`, correlationId: String(request.id),
    });
    if (!made) throw new LedgerError('subject_not_found', 'the ledger holds nothing about this subject');
    const { rendered } = made;
    setReportHeaders(reply, rendered.contentType);
    if (format !== 'json') void reply.header('content-disposition', `inline; filename="access-report-${language}.${format}"`);
    return rendered.body;
  }
}
