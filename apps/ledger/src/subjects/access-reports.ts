import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { stringifiedJsonBytes } from '@derbes/canonical-json';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@derbes/event-store';
import { signReport } from '@derbes/integrity';
import { localDate, subjectStreamId } from '@derbes/ledger';
import { INTEGRITY_LOG, ProjectionRunner } from '@derbes/projections';
import { CodeNames, RegisterCatalog } from '@derbes/register';
import {
  buildAccessReport,
  identifiedEvents,
  isWithheld,
  provedEvents,
  reportedCategoryNumbers,
  type IdentifiedSubjectEvent,
  type ReportIntegrityInput,
  renderAccessReportHtml,
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
import { AccessReportPdfThread } from './access-report-pdf-thread';
import { afterRead } from './read-recorded.error';
import { ReaderAudit, type Reader } from './reader-audit';

export interface RenderedReport {
  readonly contentType: string;
  readonly body: string | Buffer;
}

const CONTENT_TYPES: Record<ReportFormat, string> = {
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
};

/** Who has a report made, and through which view: its making is recorded as their read of the file. */
export interface ReportReader {
  readonly reader: Reader;
  /** The route or command, e.g. `GET /v1/subjects/{subjectId}/access-report (kk, pdf)`. */
  readonly view: string;
  readonly correlationId: string;
}

/** A report as made for a reader: its recorded read's event id, the report, and (from `make`) the report rendered. */
export interface BuiltReport {
  readonly readId: string;
  readonly report: AccessReport;
}
export interface MadeReport extends BuiltReport {
  readonly rendered: RenderedReport;
}

const NOT_MADE = 'the access report could not be made';

/** How many times a report is begun again when events arrive between reading the stream and recording the read. */
const MAX_ATTEMPTS = 5;

/**
 * A subject's access report from their own stream (never a read model: the report is exact as of now). Making it is
 * a read of the file, recorded first (SubjectFileRead, at the report's `generatedAt`, only behind the last event the
 * report was made from), so that the report ends with its own read: with the integrity section, no entry recorded
 * before it can be left out or altered without the report failing verify-report (libs/integrity/VERIFY-REPORT.md).
 */
@Injectable()
export class AccessReports implements OnModuleDestroy {
  private readonly logger = new Logger('access-reports');
  private readonly pdf: AccessReportPdfThread;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly catalog: RegisterCatalog,
    private readonly clock: Clock,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly sealer: SubjectSealer,
    private readonly integrity: IntegrityLog,
    private readonly projections: ProjectionRunner,
    private readonly audit: ReaderAudit,
    private readonly names: CodeNames,
  ) {
    this.pdf = new AccessReportPdfThread(config.pdfHeapMb);
  }

  /** The report rendered in `format`, as `build` makes it; a failure after the read names it (ReadRecordedError). */
  async make(subjectId: string, language: ReportLanguage, format: ReportFormat, by: ReportReader): Promise<MadeReport | null> {
    const built = await this.build(subjectId, language, by);
    if (!built) return null;
    return { ...built, rendered: await afterRead(built.readId, NOT_MADE, () => this.render(built.report, format)) };
  }

  /**
   * The report, its making recorded as `by`'s read; null (and nothing recorded) when the ledger holds nothing about
   * the subject. Sealed texts are opened for the report only. Anything that fails after the read was recorded (the
   * head signed for it, which is appended to the log; opening sealed texts) is thrown as a ReadRecordedError. The
   * head cannot be signed before the read instead: the report proves its own read included in that head.
   */
  async build(subjectId: string, language: ReportLanguage, by: ReportReader): Promise<BuiltReport | null> {
    const streamId = subjectStreamId(subjectId);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const before = await this.store.readStream(streamId);
      if (before.length === 0) return null;
      const now = this.clock.now();
      const today = localDate(now, this.config.utcOffsetMinutes);
      const events = identifiedEvents(before);
      // The categories the report will list, which the read records (the read itself adds none).
      const categories = reportedCategoryNumbers(events, today);
      const read = await this.audit.recordReadAfter(by.reader, subjectId, categories, by.view, by.correlationId, before.at(-1)!.revision, now);
      // Another event came first (it has been stored when this returns): begin again from the stream as it is now.
      if (!read) continue;
      const report = await afterRead(read.id, NOT_MADE, async () => {
        // Right behind `before`, as recorded: read back as stored (the store gives it its time).
        const [stored] = await this.store.readStream(streamId, { fromRevision: read.revision, maxCount: 1 });
        if (stored?.id !== read.id) throw new Error(`the subject's stream does not hold the report's read ${read.id} at revision ${read.revision}`);
        const stream = [...before, stored];
        const withheld = new Set(events.filter((event) => isWithheld(event, today)).map((event) => event.id));
        return this.assemble(subjectId, [...events, ...identifiedEvents([stored])], language, now, await this.integrityOf(stream, withheld));
      });
      return { readId: read.id, report };
    }
    throw new LedgerError('concurrency_exhausted', "the subject's file kept changing while the report was made; nothing was shown: retry");
  }

  /**
   * The report built and, when it carries its proof, signed as a whole with the current tree-head key: then each of its
   * statements (rows, withheld entries, holder) is one the ledger signed (libs/integrity/VERIFY-REPORT.md, step 1b).
   * Every form and route (the subject link included) renders this one object; only the JSON form carries the signature.
   */
  private async assemble(
    subjectId: string, events: readonly IdentifiedSubjectEvent[], language: ReportLanguage, now: Date, integrity: ReportIntegrityInput | null,
  ): Promise<AccessReport> {
    const opener = await this.sealer.opener(events.flatMap((event) => textsOf(event).map((text) => [subjectId, text] as const)));
    const report = buildAccessReport({
      subjectId, events: [...events], catalog: this.catalog, owner: this.config.owner, language, now,
      utcOffsetMinutes: this.config.utcOffsetMinutes, showActors: this.config.reportShowsActors,
      showWithheld: this.config.reportShowsWithheld,
      howToRequest: {
        deadlines: this.config.requestDeadlines, firstDay: this.config.deadlineFirstDay, contact: this.config.requestsContact,
      }, unseal: (id, field, value) => opener.open(id, field, value),
      integrity, names: this.names,
    });
    const signer = report.integrity ? this.integrity.reportSigner() : null;
    if (report.integrity && !signer) this.logger.warn('this replica holds no signing key (DERBES_TREE_HEAD_SIGNER=off): the access report goes unsigned, and verify-report will say so');
    return signer ? signReport(report, signer) : report;
  }

  /**
   * The head and proof for the stream's last event, the report's own read: the latest signed head when it already
   * covers it, else a head signed now. Null, with a warning, when no process keeps the integrity log up to date (a
   * CLI run beside a stopped server) or this replica does not sign: the report is still given.
   */
  private async integrityOf(stream: readonly RecordedEvent[], withheld: ReadonlySet<string>): Promise<ReportIntegrityInput | null> {
    const last = stream.at(-1)!;
    // A replica that does not sign waits a little for the signer's next head (the gateway sends reports there).
    let latest = await this.integrity.headCovering(last.position, this.integrity.signs ? 0 : READ_YOUR_WRITES_WAIT_MS);
    let source: ReportIntegrityInput['treeHeadSource'] = 'latest';
    if (!latest) {
      if (!this.integrity.signs) {
        this.logger.warn(`no signed tree head covered the report's own read in ${READ_YOUR_WRITES_WAIT_MS} ms and this replica does not sign (DERBES_TREE_HEAD_SIGNER=off): the access report carries no proof`);
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
    // The shown events before a withheld one are each proven in the same tree (report-integrity.ts).
    const proved = provedEvents(stream, withheld);
    const byPosition = proved.length > 0 ? await this.integrity.inclusionProofs(proved.map((e) => e.position), latest.treeSize) : new Map<number, string[]>();
    const proofs = new Map(proved.map((e) => [e.id, { leafIndex: e.position - 1, proof: byPosition.get(e.position)! }]));
    const { treeSize, rootHash, timestamp, keyId, signature, position } = latest;
    return {
      stream, treeHeadSource: source, treeHead: { treeSize, rootHash, timestamp, keyId, signature, position },
      inclusion: { eventId: last.id, leafIndex: proof.leafIndex, treeSize: proof.treeSize, leafHash: proof.leafHash, proof: proof.proof },
      proofs,
    };
  }

  async onModuleDestroy(): Promise<void> {
    await this.pdf.close();
  }

  async render(report: AccessReport, format: ReportFormat): Promise<RenderedReport> {
    const contentType = CONTENT_TYPES[format];
    switch (format) {
      case 'json':
        // JSON.stringify's bytes, written outside the heap: its 36 MB string for 8,000 entries came on top of the report.
        return { contentType, body: stringifiedJsonBytes(report) };
      case 'html':
        return { contentType, body: renderAccessReportHtml(report) };
      case 'pdf':
        return { contentType, body: await this.pdf.render(report) };
      default: {
        const unknown: never = format;
        throw new Error(`unknown report format ${String(unknown)}`);
      }
    }
  }
}

