import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJsonBytesOfStored } from '@derbes/canonical-json';
import { keyIdOf, type TreeHeadSigner } from './tree-head';

/**
 * What a signed access report's message begins with. A tree head's message is a canonical JSON object, which begins
 * with `{`: no report message can ever be a tree head's, so neither signature can be passed off as the other.
 */
export const REPORT_SIGNATURE_PREFIX = 'derbes-access-report-v6\n';

/** The ledger's signature of the whole JSON report: `value` is Ed25519 over `reportSignedBytes`, 128 lowercase hex digits. */
export interface ReportSignature {
  readonly keyId: string;
  readonly value: string;
}

const KEY_ID = /^[0-9a-f]{16}$/;
const SIGNATURE = /^[0-9a-f]{128}$/;

/**
 * The bytes a report's signature covers: UTF-8 of REPORT_SIGNATURE_PREFIX and the canonical JSON (CANONICAL.md section
 * 1) of the report without its `signature` member. `report` is the JSON value as parsed (or as JSON.stringify would
 * write it: members that are undefined are left out, as the served text leaves them out).
 *
 * Written straight into a Buffer: the text of a report of 8,000 entries, held as a string, copied by a JSON round
 * trip and written again, took three times 36 MB of the request thread's heap at once, and ended a server started
 * with 96 MB there.
 */
export function reportSignedBytes(report: Readonly<Record<string, unknown>>): Buffer {
  const { signature: _ignored, ...signed } = report;
  return canonicalJsonBytesOfStored(signed, REPORT_SIGNATURE_PREFIX);
}

/** The report with its `signature` member set: signed by `signer` (the ledger's current tree-head key). */
export function signReport<T extends object>(report: T, signer: TreeHeadSigner): T & { readonly signature: ReportSignature } {
  const value = sign(null, reportSignedBytes(report as Record<string, unknown>), signer.privateKey).toString('hex');
  return { ...report, signature: { keyId: signer.keyId, value } };
}

/**
 * Why the report's `signature` does not hold with the `publicKeys` given (obtained apart from the report), or
 * undefined when it does: `unsigned` (no signature, or not of the form), `unknown-key` or `bad-signature`.
 */
export function reportSignatureFailure(
  report: Readonly<Record<string, unknown>>, publicKeys: readonly (KeyObject | string)[],
): { readonly code: 'unsigned' | 'unknown-key' | 'bad-signature'; readonly reason: string } | undefined {
  const s = report.signature;
  if (s === undefined) return { code: 'unsigned', reason: 'the report has no signature member: every JSON report of schema version 6 has one' };
  if (s === null) {
    return { code: 'unsigned', reason: 'the report carries no signature (null): a replica that holds no signing key makes such reports, and so does anyone who strips a signature off; '
      + 'its hashes alone can be checked (derbes verify-report --accept-unsigned), which binds no more than a report before version 6' };
  }
  if (typeof s !== 'object' || Array.isArray(s)) return { code: 'unsigned', reason: 'signature is not an object { keyId, value }' };
  const { keyId, value } = s as Record<string, unknown>;
  if (typeof keyId !== 'string' || !KEY_ID.test(keyId)) return { code: 'unsigned', reason: 'signature.keyId is not 16 lowercase hex digits' };
  if (typeof value !== 'string' || !SIGNATURE.test(value)) return { code: 'unsigned', reason: 'signature.value is not 128 lowercase hex digits' };
  const key = publicKeys.find((k) => keyIdOf(k) === keyId);
  if (!key) return { code: 'unknown-key', reason: `the report is signed by key ${keyId}, which is not among the ${publicKeys.length} public key(s) given` };
  const publicKey = typeof key === 'string' ? createPublicKey(key) : key;
  if (!verify(null, reportSignedBytes(report), publicKey, Buffer.from(value, 'hex'))) {
    return { code: 'bad-signature', reason: `the report's signature (key ${keyId}) does not verify: the report was changed after the ledger signed it` };
  }
  return undefined;
}
