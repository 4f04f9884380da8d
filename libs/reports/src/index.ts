import accessReportJsonSchema from './access-report.schema.json';

export * from './access-report.model';
export {
  codeLabel,
  DEFAULT_REPORT_LANGUAGE,
  formatMessage,
  REPORT_MESSAGES,
  type CodePrefix,
  type MessageKey,
  type ReportMessages,
} from './report-messages';
export { formatDate, formatDateTime, formatUtcOffset } from './report-dates';
export { fillMessage, pluralForm } from './plural-form';
export {
  EMPTY_CELL,
  reportHeader,
  reportSections,
  type ReportHeader,
  type ReportSection,
  type ReportSectionId,
} from './report-rows';
export { escapeHtml, renderAccessReportHtml } from './render-html';
export { renderAccessReportPdf, REPORT_FONT_FILES } from './render-pdf';

/** JSON Schema (draft-07) of the access report's JSON form; strict: unknown fields and unknown codes are rejected. */
export const ACCESS_REPORT_JSON_SCHEMA: Readonly<Record<string, unknown>> = accessReportJsonSchema;
export {
  buildAccessReport, identifiedEvents, isWithheld, reportedCategoryNumbers, type AccessReportInput, type HowToRequest, type IdentifiedSubjectEvent, type ReportSealedField, type UnsealText,
} from './access-report.builder';
export { provedEvents, reportIntegrity, type ReportIntegrityInput } from './report-integrity';
export { checkReportSummary, type SummaryCheck, type SummaryDifference } from './report-summary-check';
export { LEDGER_BASIS_TITLES, LEDGER_PURPOSE_NAMES } from './ledger-purposes';
