import { Inject, Injectable, Logger } from '@nestjs/common';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@derbes/event-store';
import { localDate, subjectStreamId, upcastSubjectEvent } from '@derbes/ledger';
import { INTEGRITY_LOG, ProjectionRunner } from '@derbes/projections';
import { RegisterCatalog } from '@derbes/register';
import {
  buildAccessReport,
  isWithheld,
  lastCoveredEvent,
  type IdentifiedSubjectEvent,
  type ReportIntegrityInput,
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
import { IntegrityLog } from '../integrity/integrity-log.service';
import { LedgerError } from '../ledger-errors';
import { READ_YOUR_WRITES_WAIT_MS } from '../reports/read-model';

export interface RenderedReport {
  readonly contentType: string;
  readonly body: string | Buffer;
}

const CONTENT_TYPES: Record<ReportFormat, string> = {
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
};

/**
 * A subject's access report from their own stream (never a read model: the report is exact as of now), with the
 * integrity section that makes an entry left out or altered up to the last one detectable: it covers the stream as read here, up to its
 * last event not withheld; the report's own read is recorded after it and is covered by the next report.
 */
@Injectable()
export class AccessReports {
  private readonly logger = new Logger('access-reports');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly catalog: RegisterCatalog,
    private readonly clock: Clock,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly sealer: SubjectSealer,
    private readonly integrity: IntegrityLog,
    private readonly projections: ProjectionRunner,
  ) {}

  /** null when the ledger holds nothing about the subject. Sealed texts are opened for the report only. */
  async build(subjectId: string, language: ReportLanguage): Promise<AccessReport | null> {
    const stored = await this.store.readStream(subjectStreamId(subjectId));
    if (stored.length === 0) return null;
    const now = this.clock.now();
    const today = localDate(now, this.config.utcOffsetMinutes);
    const events: IdentifiedSubjectEvent[] = [];
    const withheld = new Set<string>();
    for (const e of stored) {
      const event = upcastSubjectEvent(e.type, e.data, e.metadata);
      if (!event) continue;
      events.push({ ...event, id: e.id });
      if (isWithheld(event, today)) withheld.add(e.id);
    }
    const opener = await this.sealer.opener(events.flatMap((event) => textsOf(event).map((text) => [subjectId, text] as const)));
    const last = lastCoveredEvent(stored, (id) => withheld.has(id));
    return buildAccessReport({
      subjectId, events, catalog: this.catalog, owner: this.config.owner, language, now,
      utcOffsetMinutes: this.config.utcOffsetMinutes, showActors: this.config.reportShowsActors,
      showWithheld: this.config.reportShowsWithheld, unseal: (id, field, value) => opener.open(id, field, value),
      integrity: last ? await this.integrityOf(stored, last) : null,
    });
  }

  /**
   * The head and proof for the stream's last covered event: the latest signed head when it already covers it (the
   * usual case: a read is cheap), else a head signed now. Null, with a warning, when no process keeps the integrity
   * log up to date (a CLI run beside a stopped server with an unfinished read model): the report is still given.
   */
  private async integrityOf(stream: readonly RecordedEvent[], last: RecordedEvent): Promise<ReportIntegrityInput | null> {
    let latest = await this.integrity.latest().catch(ignoreMissing);
    let source: ReportIntegrityInput['treeHeadSource'] = 'latest';
    if (!latest || latest.treeSize < last.position) {
      if (!this.integrity.signs) {
        // The signer's next head will cover it; this replica cannot sign one now (the gateway sends reports there).
        this.logger.warn(`no signed tree head covers the subject's last event yet and this replica does not sign (DERBES_TREE_HEAD_SIGNER=off): the access report carries no proof`);
        return null;
      }
      // Signing waits for the tree to reach the end of the log; do not wait for a tree that nobody is building.
      if (!(await this.projections.waitFor(INTEGRITY_LOG, await this.store.lastPosition(), READ_YOUR_WRITES_WAIT_MS))) {
        this.logger.warn(`the integrity log is behind the log: the access report carries no proof`);
        return null;
      }
      latest = (await this.integrity.sign()).head;
      source = 'signed-for-report';
    }
    const proof = await this.integrity.inclusion(last.id, latest.treeSize);
    if (proof.rootHash !== latest.rootHash) throw new Error(`the integrity log's root at size ${latest.treeSize} is not the signed head's`);
    const { treeSize, rootHash, timestamp, keyId, signature, position } = latest;
    return {
      stream, treeHeadSource: source, treeHead: { treeSize, rootHash, timestamp, keyId, signature, position },
      inclusion: { eventId: last.id, leafIndex: proof.leafIndex, treeSize: proof.treeSize, leafHash: proof.leafHash, proof: proof.proof },
    };
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

function ignoreMissing(error: unknown): null {
  if (error instanceof LedgerError && (error.code === 'tree_head_not_found' || error.code === 'projection_building')) return null;
  throw error;
}

/** The categories a report mentions: what its production is recorded as having read. */
export function categoriesOf(report: AccessReport): number[] {
  return report.categories.map((c) => c.category.number);
}
