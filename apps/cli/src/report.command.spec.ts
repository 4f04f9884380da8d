import type { LedgerConfig } from '../../ledger/src/config/ledger-config';
import { ReportUsageError, subjectReport } from './report.command';

// The reader is checked before any store is opened: a config that names none shows that nothing was read or written.
const noStore = { utcOffsetMinutes: 300 } as LedgerConfig;
const options = { iin: '791028302728', language: 'en', format: 'json', out: '/tmp/never-written.json', purpose: 'OVERSIGHT' } as const;

describe('derbes report subject: the reader it records', () => {
  it.each([
    [{ id: 'hг-17', role: 'auditor', unit: 'audit' }, '--actor: must not mix scripts in one word: "hг" has Latin and Cyrillic letters'],
    [{ id: 'hr-17', role: 'rοle', unit: 'audit' }, '--role: must not mix scripts in one word: "rοle" has Latin and Greek letters'],
    [{ id: 'hr-17', role: 'auditor', unit: 'cafe\u0301' }, '--unit: must be in Unicode NFC form'],
  ])('refuses %j, a code that looks like another', async (actor, message) => {
    const refused = subjectReport(noStore, { ...options, actor });
    await expect(refused).rejects.toBeInstanceOf(ReportUsageError);
    await expect(refused).rejects.toThrow(message);
  });

  it.each([
    [{ id: 'data-subject', role: 'data-subject', unit: 'self' }, '--actor: "data-subject" is a code the ledger records for itself'],
    [{ id: 'hr-17', role: 'Data-Subject', unit: 'audit' }, '--role: "Data-Subject" is a code the ledger records for itself'],
    [{ id: 'hr-17', role: 'auditor', unit: 'derbes' }, '--unit: "derbes" is a code the ledger records for itself'],
  ])("refuses %j, the data subject's or the ledger's own code", async (actor, message) => {
    const refused = subjectReport(noStore, { ...options, actor });
    await expect(refused).rejects.toBeInstanceOf(ReportUsageError);
    await expect(refused).rejects.toThrow(message);
  });
});
