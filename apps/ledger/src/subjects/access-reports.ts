import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@derbes/event-store';
import { subjectStreamId, upcastSubjectEvent, type SubjectEvent } from '@derbes/ledger';
import { RegisterCatalog } from '@derbes/register';
import {
  buildAccessReport,
  renderAccessReportHtml,
  renderAccessReportPdf,
  type AccessReport,
  type ReportFormat,
  type ReportLanguage,
} from '@derbes/reports';
import { Clock } from '../clock';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { SubjectSealer, textsOf } from '../data-keys/subject-sealer';

export interface RenderedReport {
  readonly contentType: string;
  readonly body: string | Buffer;
}

const CONTENT_TYPES: Record<ReportFormat, string> = {
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
};

/** A subject's access report from their own stream (never a read model: the report is exact as of now). */
@Injectable()
export class AccessReports {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly catalog: RegisterCatalog,
    private readonly clock: Clock,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly sealer: SubjectSealer,
  ) {}

  /** null when the ledger holds nothing about the subject. Sealed texts are opened for the report only. */
  async build(subjectId: string, language: ReportLanguage): Promise<AccessReport | null> {
    const stored = await this.store.readStream(subjectStreamId(subjectId));
    if (stored.length === 0) return null;
    const events: SubjectEvent[] = [];
    for (const e of stored) {
      const event = upcastSubjectEvent(e.type, e.data, e.metadata);
      if (event) events.push(event);
    }
    const opener = await this.sealer.opener(events.flatMap((event) => textsOf(event).map((text) => [subjectId, text] as const)));
    return buildAccessReport({
      subjectId, events, catalog: this.catalog, owner: this.config.owner, language, now: this.clock.now(),
      utcOffsetMinutes: this.config.utcOffsetMinutes, showActors: this.config.reportShowsActors,
      showWithheld: this.config.reportShowsWithheld, unseal: (id, field, value) => opener.open(id, field, value),
    });
  }

  async render(report: AccessReport, format: ReportFormat): Promise<RenderedReport> {
    const contentType = CONTENT_TYPES[format];
    switch (format) {
      case 'json':
        return { contentType, body: JSON.stringify(report) };
      case 'html':
        return { contentType, body: renderAccessReportHtml(report) };
      case 'pdf':
        return { contentType, body: await renderAccessReportPdf(report) };
      default: {
        const unknown: never = format;
        throw new Error(`unknown report format ${String(unknown)}`);
      }
    }
  }
}

/** The categories a report mentions: what its production is recorded as having read. */
export function categoriesOf(report: AccessReport): number[] {
  return report.categories.map((c) => c.category.number);
}
