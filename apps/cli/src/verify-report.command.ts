import { readFileSync } from 'node:fs';
import { keyIdOf, parsePublicKeys, verifyReport } from '@derbes/integrity';
import { BUILT_IN_REGISTERS, RegisterCatalog, loadRegistersFile } from '@derbes/register';
import { duplicateMember } from '@derbes/canonical-json';
import { checkReportSummary } from '@derbes/reports';

export class VerifyReportUsageError extends Error {}

/**
 * The public keys to trust: a JSON array as GET /v1/integrity/keys serves it, or one PEM public key. Never the
 * report's own say: a report could carry any key that signs its own head.
 */
export function readPublicKeys(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new VerifyReportUsageError(`--public-keys ${file}: ${(error as Error).message}`);
  }
  try {
    if (text.trimStart().startsWith('-----BEGIN')) {
      // A private key would verify too (its public half is in it); whoever holds it can sign any head: never trust it.
      if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) throw new Error('is a private key: give the public key (GET /v1/integrity/keys)');
      keyIdOf(text);
      return [text];
    }
    return parsePublicKeys(text, file).map((k) => k.publicKeyPem);
  } catch (error) {
    throw new VerifyReportUsageError(`--public-keys ${file}: ${(error as Error).message}`);
  }
}

/** The registers of a registers file (as DERBES_REGISTERS_FILE holds them), for making the categories section again. */
function readRegisters(file: string) {
  try {
    return loadRegistersFile(file);
  } catch (error) {
    throw new VerifyReportUsageError(`--registers ${file}: ${(error as Error).message}`);
  }
}

/**
 * `derbes verify-report FILE --public-keys KEYS`: checks a JSON access report offline (no ledger, no network) with
 * libs/integrity's verifyReport, then its derived sections made again from its chain (checkReportSummary, with the
 * registers built into this version and those of `registersFile`). The lines to print and whether it verified.
 */
export function verifyReportFile(
  file: string, publicKeysFile: string | undefined,
  options: { readonly requireComplete?: boolean; readonly acceptUnsigned?: boolean; readonly registersFile?: string } = {},
): { ok: boolean; lines: string[] } {
  if (publicKeysFile === undefined) {
    throw new VerifyReportUsageError('verify-report needs --public-keys FILE (GET /v1/integrity/keys, or a PEM public key) obtained apart from the report: the report is not trusted to name its own key');
  }
  const keys = readPublicKeys(publicKeysFile);
  const extra = options.registersFile === undefined ? [] : readRegisters(options.registersFile);
  let report: unknown;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
    report = JSON.parse(text);
  } catch (error) {
    return { ok: false, lines: [`${file}: not a JSON report (${(error as Error).message})`] };
  }
  const malformed = (why: string) => ({ ok: false, lines: [`${file}: NOT VERIFIED (malformed): ${why}`] });
  // JSON.parse keeps the last of two members; a reader that takes the first would see another report than the one checked.
  const repeated = duplicateMember(text);
  if (repeated) return malformed(`${repeated.path} is given twice in its object: a report names each member once`);
  let verdict: ReturnType<typeof verifyReport>;
  try {
    verdict = verifyReport(report, keys, { acceptUnsigned: options.acceptUnsigned === true });
  } catch (error) {
    // A value no report holds (a number beyond a double, nesting past the stack) in what is hashed.
    return malformed((error as Error).message);
  }
  if (!verdict.ok) return { ok: false, lines: [`${file}: NOT VERIFIED (${verdict.code}): ${verdict.reason}`] };
  const offset = (report as { utcOffsetMinutes?: unknown }).utcOffsetMinutes;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || Math.abs(offset) > 840) return malformed('utcOffsetMinutes is not a whole number of minutes from -840 to 840');
  let catalog: RegisterCatalog;
  try {
    catalog = RegisterCatalog.withOverrides(BUILT_IN_REGISTERS, extra, { utcOffsetMinutes: offset, ...(options.registersFile ? { extraSource: options.registersFile } : {}) });
  } catch (error) {
    throw new VerifyReportUsageError(`--registers ${options.registersFile}: ${(error as Error).message}`);
  }
  const summary = checkReportSummary(report as Record<string, unknown>, catalog);
  if (summary.checked && summary.difference) {
    const d = summary.difference;
    return { ok: false, lines: [`${file}: NOT VERIFIED (summary-mismatch): ${d.field} shows ${d.shown}, but the report's own events give ${d.recomputed}`] };
  }
  const s = verdict.summary;
  if (!summary.checked && options.requireComplete) {
    return { ok: false, lines: [`${file}: NOT VERIFIED (categories-not-checked): ${summary.reason}: give the registers file the ledger used (--registers FILE) (--require-complete)`] };
  }
  if (s.completeAsOf === null && options.requireComplete) {
    return { ok: false, lines: [`${file}: NOT VERIFIED (not-shown-complete): a report of schema version 2 does not end with its own read, so it cannot show that no newer event was left out (--require-complete)`] };
  }
  const unbound = s.unprovedBeforeWithheld > 0
    ? `made before version 5, the report carries no proofs of its own for the ${s.unprovedBeforeWithheld} shown ${s.unprovedBeforeWithheld === 1 ? 'event' : 'events'} before its last withheld entry: ` +
      'they are bound by the chain alone, which a withheld entry does not tie back, so whoever held the report could have altered them (VERIFY-REPORT.md, "What the checks cannot tell")'
    : null;
  if (unbound !== null && options.requireComplete) {
    return { ok: false, lines: [`${file}: NOT VERIFIED (not-shown-complete): ${unbound} (--require-complete)`] };
  }
  // Before version 6 nothing signs the report as a whole: its withheld claims and what no hash binds are not the
  // ledger's signed word, and a version 6 report relabelled as older (its signature dropped) is checked as older.
  // A version 6 report with `signature: null` (made by a replica that holds no key) is read the same way.
  const version = (report as { schemaVersion?: unknown }).schemaVersion;
  const unsigned = !s.signed
    ? `${typeof version === 'number' && version >= 6 ? 'carrying no signature (null: a replica that holds no signing key makes such reports, and so does anyone who strips a signature off)' : 'made before version 6'}, the report is not signed as a whole: which entries are withheld, and what no hash binds (holder, rows' names, created of middle entries), ` +
      'are not statements the ledger signed, and a signed report stripped of its signature or relabelled as older is checked as this one (VERIFY-REPORT.md, step 1b)'
    : null;
  if (unsigned !== null && options.requireComplete) {
    return { ok: false, lines: [`${file}: NOT VERIFIED (not-signed): ${unsigned} (--require-complete)`] };
  }
  const complete = s.completeAsOf !== null
    ? `holds every event recorded about them up to its own read at ${s.completeAsOf} (event ${s.lastEventId}, position ${s.lastPosition})`
    : `is complete up to its last event ${s.lastEventId} (position ${s.lastPosition}); ` +
      'as a report of version 2 it cannot show that no newer event was left out (VERIFY-REPORT.md, "What the checks cannot tell"): a full `derbes verify`, or a later report, can';
  return {
    ok: true,
    lines: [
      `${file}: verified: the access report of subject ${s.subjectId.slice(0, 12)}… ${complete}`,
      `  chain: ${s.chainLength} events from the subject's first (${s.shown} shown and recomputed, ${s.withheld} withheld, hashes only); ${s.rows} rows, each matched`,
      `  tree head: size ${s.treeSize}, root ${s.rootHash}, ${s.timestamp}, signed by key ${s.keyId}; the last event's inclusion proof leads to its root`,
      summary.checked
        ? '  categories: each category\'s state (held, sources, purposes, legal bases, dates, blocked, destroyed) made again from the chain\'s events, and matched'
        : `  categories: NOT CHECKED: ${summary.reason}; the chain and rows above are verified, the categories section is not (give the registers file the ledger used: --registers FILE)`,
      ...(unbound !== null ? [`  caveat: ${unbound}`] : []),
      ...(unsigned !== null ? [`  caveat: ${unsigned}`] : [`  signature: the whole report is signed by key ${(report as { signature: { keyId: string } }).signature.keyId}, which verifies`]),
    ],
  };
}
