import { serveRequests } from '@derbes/event-store';
import { renderAccessReportPdf, type AccessReport } from '@derbes/reports';

/**
 * The thread that lays out access reports as PDF (AccessReportPdfThread): a subject with thousands of events takes
 * seconds to lay out, which on the request thread would stop every other request, ingest included, meanwhile.
 */
serveRequests((report: AccessReport) => renderAccessReportPdf(report), () => undefined);
