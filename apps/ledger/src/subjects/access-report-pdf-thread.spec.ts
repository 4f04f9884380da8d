import { renderAccessReportPdf } from '@derbes/reports';
import { LedgerError } from '../ledger-errors';
import { reportWithEvents, sampleReport } from '../../../../libs/reports/src/spec-helpers';
import { AccessReportPdfThread } from './access-report-pdf-thread';

describe('AccessReportPdfThread', () => {
  const thread = new AccessReportPdfThread(512);
  afterAll(() => thread.close());

  it('lays out the same document as the request thread would', async () => {
    const report = reportWithEvents(40);
    const [there, here] = await Promise.all([thread.render(report), renderAccessReportPdf(report)]);
    expect(Buffer.isBuffer(there)).toBe(true);
    expect(there.equals(here)).toBe(true);
  });

  it('leaves the calling thread free while it lays out a long report', async () => {
    let settled = false;
    const rendering = thread.render(reportWithEvents(600)).finally(() => { settled = true; });
    // Laid out on the calling thread, the layout would have run to its end before this turn of the event loop.
    const freeMeanwhile = await new Promise<boolean>((resolve) => setImmediate(() => resolve(!settled)));
    expect(freeMeanwhile).toBe(true);
    expect((await rendering).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('replaces a thread that died with a new one at the next PDF', async () => {
    const alone = await renderAccessReportPdf(sampleReport());
    expect((await thread.render(sampleReport())).equals(alone)).toBe(true);
    // As if it had run out of memory: the worker ends under the client's feet.
    const worker = (thread as unknown as { thread: { worker: { terminate(): Promise<number> } } }).thread.worker;
    await worker.terminate();
    expect((await thread.render(sampleReport())).equals(alone)).toBe(true);
  });

  it('refuses a report too large for its heap, ending only its thread, and lays out the next report on a new one', async () => {
    const small = new AccessReportPdfThread(32);
    try {
      const alone = await renderAccessReportPdf(sampleReport());
      // Asked for together: the large one fills the heap, the small ones before and after it are laid out all the same.
      const [before, large, after] = await Promise.allSettled([small.render(sampleReport()), small.render(reportWithEvents(8_000)), small.render(sampleReport())]);
      expect(large).toEqual({ status: 'rejected', reason: expect.any(LedgerError) });
      expect((large as PromiseRejectedResult).reason).toMatchObject({
        code: 'report_too_large',
        message: 'the report (8000 entries) is too large to lay out as PDF on this server: its layout ran out of the 32 MiB the PDF thread may use '
          + '(DERBES_PDF_HEAP_MB). format=json or format=html give the same entries',
      });
      for (const result of [before, after]) expect(result.status === 'fulfilled' && result.value.equals(alone)).toBe(true);
      expect((await small.render(reportWithEvents(40))).subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      await small.close();
    }
  });

  it('lays out reports asked for together, each whole, and can be used again after closing', async () => {
    const reports = [sampleReport(), reportWithEvents(5), reportWithEvents(80)];
    const pdfs = await Promise.all(reports.map((r) => thread.render(r)));
    const alone = await Promise.all(reports.map((r) => renderAccessReportPdf(r)));
    pdfs.forEach((pdf, i) => expect(pdf.equals(alone[i]!)).toBe(true));
    await thread.close();
    expect((await thread.render(sampleReport())).equals(alone[0]!)).toBe(true);
  });
});
