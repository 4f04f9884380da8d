import { join } from 'node:path';
import { ThreadClient } from '@derbes/event-store';
import type { AccessReport } from '@derbes/reports';

/**
 * Lays out access reports as PDF on a thread of its own (access-report-pdf.worker.ts), started at the first PDF asked
 * for. Reports asked for together are laid out one after the other there; the request thread stays free meanwhile.
 */
export class AccessReportPdfThread {
  private thread: ThreadClient | undefined;

  async render(report: AccessReport): Promise<Buffer> {
    this.thread ??= new ThreadClient('the PDF layout thread', join(__dirname, 'access-report-pdf.worker'), null);
    // A Buffer crosses the thread boundary as a plain Uint8Array: a view of the same bytes, no copy.
    const bytes = await this.thread.request<Uint8Array>(report);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async close(): Promise<void> {
    const thread = this.thread;
    this.thread = undefined;
    await thread?.close();
  }
}
