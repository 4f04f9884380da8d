import { renderAccessReportPdf } from '@derbes/reports';
import { reportWithEvents, sampleReport } from '../../../../libs/reports/src/spec-helpers';
import { AccessReportPdfThread } from './access-report-pdf-thread';

describe('AccessReportPdfThread', () => {
  const thread = new AccessReportPdfThread();
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

  it('lays out reports asked for together, each whole, and can be used again after closing', async () => {
    const reports = [sampleReport(), reportWithEvents(5), reportWithEvents(80)];
    const pdfs = await Promise.all(reports.map((r) => thread.render(r)));
    const alone = await Promise.all(reports.map((r) => renderAccessReportPdf(r)));
    pdfs.forEach((pdf, i) => expect(pdf.equals(alone[i]!)).toBe(true));
    await thread.close();
    expect((await thread.render(sampleReport())).equals(alone[0]!)).toBe(true);
  });
});
