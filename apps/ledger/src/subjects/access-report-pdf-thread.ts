import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { StoreUnavailableError, ThreadClient } from '@derbes/event-store';
import type { AccessReport } from '@derbes/reports';
import { LedgerError } from '../ledger-errors';

/**
 * Lays out access reports as PDF on a thread of its own (access-report-pdf.worker.ts), started at the first PDF asked
 * for, its heap limited to `heapMb` MiB (DERBES_PDF_HEAP_MB). Reports asked for together are laid out one after the
 * other; the request thread stays free meanwhile. A report too large for that heap ends the thread, not the process,
 * and is refused (report_too_large); a thread that died otherwise is replaced and the report tried once more.
 */
export class AccessReportPdfThread {
  private readonly logger = new Logger('access-reports');
  private thread: ThreadClient | undefined;
  /** The report laid out last, settled or not: one at a time, so that a thread that ran out of memory names its report. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly heapMb: number) {}

  render(report: AccessReport): Promise<Buffer> {
    const rendered = this.queue.then(() => this.renderAlone(report));
    this.queue = rendered.catch(() => undefined);
    return rendered;
  }

  async close(): Promise<void> {
    const thread = this.thread;
    this.thread = undefined;
    await thread?.close();
  }

  private async renderAlone(report: AccessReport): Promise<Buffer> {
    try {
      return await this.renderOnThread(report);
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      this.thread = undefined;
      // Laid out alone, this report filled the heap: it would again, on any new thread.
      if (outOfMemory(error)) throw this.tooLarge(report);
      // The thread had died otherwise, on an earlier report or on this one: this one is tried once more on a new thread.
      try {
        return await this.renderOnThread(report);
      } catch (again) {
        if (!(again instanceof StoreUnavailableError)) throw again;
        this.thread = undefined;
        if (outOfMemory(again)) throw this.tooLarge(report);
        // Not the store's fault: said as what it is, an error of this server.
        throw new Error(`the PDF layout thread stopped twice on this report: ${again.message}`);
      }
    }
  }

  private async renderOnThread(report: AccessReport): Promise<Buffer> {
    this.thread ??= new ThreadClient('the PDF layout thread', join(__dirname, 'access-report-pdf.worker'), null, { maxOldGenerationSizeMb: this.heapMb });
    // A Buffer crosses the thread boundary as a plain Uint8Array: a view of the same bytes, no copy.
    const bytes = await this.thread.request<Uint8Array>(report);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private tooLarge(report: AccessReport): LedgerError {
    // The client is told (406); the operator, who can give the thread more, is told here.
    this.logger.warn(`a PDF report of ${report.events.length} entries ran the PDF layout thread out of its ${this.heapMb} MiB heap (DERBES_PDF_HEAP_MB): refused`);
    return new LedgerError('report_too_large', `the report (${report.events.length} entries) is too large to lay out as PDF on this server: `
      + `its layout ran out of the ${this.heapMb} MiB the PDF thread may use (DERBES_PDF_HEAP_MB). format=json or format=html give the same entries`);
  }
}

/** Whether the thread ended because it reached its heap limit (Node ends a worker so, without ending the process). */
function outOfMemory(error: StoreUnavailableError): boolean {
  return (error.cause as { code?: unknown } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
}
