import { randomUUID } from 'node:crypto';
import { accessSync, constants, lstatSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { OVERSIGHT_PURPOSE, SubjectPseudonymizer, checkIin, codeContainsIin, isReservedActorCode, localDate } from '@derbes/ledger';
import { RegisterCatalog } from '@derbes/register';
import { REPORT_FORMATS, REPORT_LANGUAGES, type ReportFormat, type ReportLanguage } from '@derbes/reports';
import type { LedgerConfig } from '../../ledger/src/config/ledger-config';
import { lockDataDir, lockHolder } from '../../ledger/src/config/data-dir-lock';
import { createApp } from '../../ledger/src/http/create-app';
import { lookAlikeReason } from '../../ledger/src/http/look-alike-codes';
import { CODE } from '../../ledger/src/http/text-patterns';
import { AccessReports } from '../../ledger/src/subjects/access-reports';
import { afterRead } from '../../ledger/src/subjects/read-recorded.error';
import { requireEventStore } from './existing-ledger';

export interface SubjectReportOptions {
  readonly iin: string;
  readonly language: ReportLanguage;
  readonly format: ReportFormat;
  readonly out: string;
  readonly actor: { readonly id: string; readonly role: string; readonly unit: string };
  /** A purpose code or slug of the register, or OVERSIGHT. */
  readonly purpose: string;
}

export class ReportUsageError extends Error {}

/** The reader a CLI run is recorded as, unless flags name another. */
export function defaultCliActor(): SubjectReportOptions['actor'] {
  return { id: `cli:${userInfo().username}`, role: 'operator', unit: 'cli' };
}

export function checkReportOptions(language: string, format: string): { language: ReportLanguage; format: ReportFormat } {
  if (!REPORT_LANGUAGES.includes(language as ReportLanguage)) throw new ReportUsageError(`--lang must be one of ${REPORT_LANGUAGES.join(', ')}`);
  if (!REPORT_FORMATS.includes(format as ReportFormat)) throw new ReportUsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}`);
  return { language: language as ReportLanguage, format: format as ReportFormat };
}

/**
 * The reader as recorded in the subject's stream: codes as the API takes them for an actor (letters, digits and
 * . _ : @ / -, up to 100 characters, 200 for the unit, none that looks like another), never an IIN. Throws naming the flag.
 */
function checkActor(actor: SubjectReportOptions['actor']): void {
  for (const [flag, value, max] of [['--actor', actor.id, 100], ['--role', actor.role, 100], ['--unit', actor.unit, 200]] as const) {
    const lookAlike = lookAlikeReason(value);
    if (lookAlike) throw new ReportUsageError(`${flag}: ${lookAlike} (it is recorded as the reader)`);
    if (value.length === 0 || value.length > max || !CODE.test(value)) {
      throw new ReportUsageError(`${flag}: must be a code of 1 to ${max} characters: letters, digits and . _ : @ / - (it is recorded as the reader)`);
    }
    if (codeContainsIin(value)) throw new ReportUsageError(`${flag}: must not contain an IIN (it is recorded as the reader)`);
  }
  // As the data subject (data-subject, data-subject, self) the read would show as the person's own and leave actor activity.
  for (const [flag, field] of [['--actor', 'id'], ['--role', 'role'], ['--unit', 'unit']] as const) {
    const value = actor[field];
    if (isReservedActorCode(field, value)) throw new ReportUsageError(`${flag}: "${value}" is a code the ledger records for itself (the data subject, the ledger) (it is recorded as the reader)`);
  }
}

/** Refuses an --out the report could not be written to, before the read is recorded (a read that gave no report). */
function checkOut(out: string): void {
  const path = resolve(out);
  let existing: ReturnType<typeof statSync> | undefined;
  try {
    existing = statSync(path);
  } catch {
    existing = undefined;
  }
  if (existing?.isDirectory()) throw new ReportUsageError(`--out: ${out} is a directory`);
  try {
    accessSync(existing ? path : dirname(path), constants.W_OK);
  } catch {
    throw new ReportUsageError(`--out: cannot write ${out} (${existing ? 'the file is not writable' : `no writable directory ${dirname(path)}`})`);
  }
}

/**
 * `derbes report subject`: writes a subject's access report to a file, and records the read in their stream as the
 * API does. Safe beside a running server: it only appends, with the expected revision guarding the subject's stream,
 * and the server's read models take the read in (its integrity log, then a head that covers it). With no server
 * running it keeps the read models itself while it runs, so that the report's own read gets its proof too.
 */
export async function subjectReport(config: LedgerConfig, options: SubjectReportOptions): Promise<string> {
  const iin = checkIin(options.iin, localDate(new Date(), config.utcOffsetMinutes));
  if (!iin.valid) throw new ReportUsageError(`--iin: ${iin.reason} (rule: ${iin.rule})`);
  checkActor(options.actor);
  checkOut(options.out);
  requireEventStore(config);
  const release = config.eventStore !== ':memory:' && lockHolder(config.dataDir) === null ? lockDataDir(config.dataDir) : null;
  const app = await createApp({ ...config, runProjections: release !== null }).catch((error: unknown) => {
    release?.();
    throw error;
  });
  try {
    const catalog = app.get(RegisterCatalog);
    const purpose = options.purpose === OVERSIGHT_PURPOSE.code ? OVERSIGHT_PURPOSE : catalog.resolvePurpose(config.owner, options.purpose);
    if (!purpose) throw new ReportUsageError(`--purpose: unknown purpose ${JSON.stringify(options.purpose)}: a register purpose (e.g. P01) or OVERSIGHT`);
    const subjectId = app.get(SubjectPseudonymizer).subjectId(options.iin);
    const reports = app.get(AccessReports);
    const made = await reports.make(subjectId, options.language, options.format, {
      reader: { actor: options.actor, purpose: { code: purpose.code, slug: purpose.slug } },
      view: `derbes report subject (${options.language}, ${options.format})`, correlationId: `cli-${randomUUID()}`,
    });
    // An answer about the ledger, not a misuse of the command: exit 1 without the usage text.
    if (!made) throw new Error('the ledger holds nothing about this subject');
    const { report, rendered } = made;
    // checkOut cannot foresee a full disk: a failed write says the read was recorded all the same.
    await afterRead(made.readId, `the report could not be written to ${options.out}`, () => writeReport(options.out, rendered.body));
    const wrote = `wrote the ${options.language} access report (${options.format}, ${report.events.length} entries) of subject ${subjectId.slice(0, 12)}… to ${options.out}`;
    // The ledger gives a report without a proof rather than none (AccessReports says when); a command must say so.
    if (report.integrity === null) {
      throw new Error(`${wrote}, but WITHOUT its completeness proof: the integrity log that ${release ? 'this command' : 'the server'} keeps had not `
        + 'reached the report\'s own read within 2 s, so verify-report cannot check it. Run the command again, or ask the server (GET /v1/subjects/{subjectId}/access-report)');
    }
    return wrote;
  } finally {
    await app.close();
    release?.();
  }
}

/**
 * A file is written whole or not at all, and for its owner only: it names a person's processing. It is written
 * beside FILE under a temporary name, renamed over FILE, and removed when anything fails. Anything else (a pipe,
 * /dev/stdout) is written to as it is: renaming over it would put a file in its place.
 */
function writeReport(out: string, body: string | Buffer): void {
  const existing = lstatSync(out, { throwIfNoEntry: false });
  if (existing && !existing.isFile()) {
    writeFileSync(out, body);
    return;
  }
  const draft = `${out}.${process.pid}.tmp`;
  try {
    writeFileSync(draft, body, { mode: 0o600 });
    renameSync(draft, out);
  } catch (error) {
    rmSync(draft, { force: true });
    throw error;
  }
}
