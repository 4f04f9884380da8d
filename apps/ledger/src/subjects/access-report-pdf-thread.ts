import { join } from 'node:path';
import { StoreUnavailableError, ThreadClient } from '@derbes/event-store';
import type { AccessReport } from '@derbes/reports';

/**
 * Lays out access reports as PDF on a thread of its own (access-report-pdf.worker.ts), started at the first PDF asked
 * for. Reports asked for together are laid out one after the other there; the request thread stays free meanwhile.
 * A thread that died (out of memory, say) is replaced by the next PDF asked for.
 */
export class AccessReportPdfThread {
  private thread: ThreadClient | undefined;

  async render(report: AccessReport): Promise<Buffer> {
    try {
      return await this.renderOnThread(report);
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      // The thread had died, on an earlier report or on this one: this one is tried once more on a new thread.
      this.thread = undefined;
      try {
        return await this.renderOnThread(report);
      } catch (again) {
        if (!(again instanceof StoreUnavailableError)) throw again;
        this.thread = undefined;
        // Not the store's fault: said as what it is, an error of this server.
        throw new Error(`the PDF layout thread stopped twice on this report: ${again.message}`);
      }
    }
  }

  async close(): Promise<void> {
    const thread = this.thread;
    this.thread = undefined;
    await thread?.close();
  }

  private async renderOnThread(report: AccessReport): Promise<Buffer> {
    this.thread ??= new ThreadClient('the PDF layout thread', join(__dirname, 'access-report-pdf.worker'), null);
    // A Buffer crosses the thread boundary as a plain Uint8Array: a view of the same bytes, no copy.
    const bytes = await this.thread.request<Uint8Array>(report);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
}
