import { generateKeyPairSync, sign } from 'node:crypto';
import { canonicalJson } from '@derbes/canonical-json';
import { REPORT_SIGNATURE_PREFIX, reportSignatureFailure, reportSignedBytes, signReport } from './report-signature';
import { keyIdOf, signTreeHead, treeHeadSignedBytes, verifyTreeHead } from './tree-head';

const keys = generateKeyPairSync('ed25519');
const signer = { keyId: keyIdOf(keys.publicKey), privateKey: keys.privateKey };
const report = { schema: 'derbes/access-report', schemaVersion: 6, withheld: null, integrity: { chain: [{ eventId: 'e-1', withheld: false }] } };

describe('report signature', () => {
  it('signs the canonical JSON of the report without its signature, after the prefix', () => {
    const signed = signReport(report, signer);
    expect(signed.signature.keyId).toBe(signer.keyId);
    expect(reportSignedBytes(signed).toString('utf8')).toBe(
      `${REPORT_SIGNATURE_PREFIX}{"integrity":{"chain":[{"eventId":"e-1","withheld":false}]},"schema":"derbes/access-report","schemaVersion":6,"withheld":null}`,
    );
    expect(reportSignatureFailure(JSON.parse(JSON.stringify(signed)), [keys.publicKey])).toBeUndefined();
  });

  it('signs the canonical JSON of the JSON round trip (as an independent canonicaliser writes it), for nulls, numbers, nested arrays, kk/ru text', () => {
    const rich = {
      schema: 'derbes/access-report', schemaVersion: 6, language: 'ru', utcOffsetMinutes: 300, withheld: null, unset: undefined,
      holder: { body: 'Министерство экологии и природных ресурсов РК', order: { number: '328-Ө', title: 'Тізбесін бекіту туралы "№ 152"\n' } },
      events: [{ at: '2026-01-12T04:15:00.000Z', categories: [{ number: 1, name: 'Тегі, аты' }], actorId: null, violations: [] }],
      integrity: { treeHead: { treeSize: 120_431, position: 1e21, ratio: -0.5 }, proof: [['ab', ['cd', []]], [null, 0, -0]] },
    };
    const signed = signReport(rich, signer);
    const independent = Buffer.from(REPORT_SIGNATURE_PREFIX + canonicalJson(JSON.parse(JSON.stringify(rich))), 'utf8');
    expect(reportSignedBytes(signed).equals(independent)).toBe(true);
    expect(reportSignatureFailure(JSON.parse(JSON.stringify(signed)), [keys.publicKey])).toBeUndefined();
  });

  it('names a changed field, an unknown key and a missing signature', () => {
    const signed = JSON.parse(JSON.stringify(signReport(report, signer)));
    expect(reportSignatureFailure({ ...signed, withheld: { count: 1 } }, [keys.publicKey])).toMatchObject({ code: 'bad-signature' });
    expect(reportSignatureFailure(signed, [generateKeyPairSync('ed25519').publicKey])).toMatchObject({ code: 'unknown-key' });
    expect(reportSignatureFailure({ ...signed, signature: null }, [keys.publicKey])).toMatchObject({ code: 'unsigned' });
  });

  it('cannot be passed off as a tree head signature, nor a tree head signature as a report signature', () => {
    const head = signTreeHead({ treeSize: 3, rootHash: 'ab'.repeat(32) }, new Date('2026-11-27T00:00:00Z'), signer);
    // A tree head message is a JSON object; a report message begins with the prefix: no bytes are both.
    expect(treeHeadSignedBytes(head).toString('utf8').startsWith('{')).toBe(true);
    const asReport = { ...head, signature: { keyId: signer.keyId, value: head.signature } };
    expect(reportSignatureFailure(asReport, [keys.publicKey])).toMatchObject({ code: 'bad-signature' });
    const { signature: _headSignature, ...unsignedHead } = head;
    const reportValue = signReport(unsignedHead, signer).signature.value;
    expect(verifyTreeHead({ ...head, signature: reportValue }, keys.publicKey)).toBe(false);
    // Even the head's own message signed as if a report holds no report signature of it, and the other way round.
    const headMessageSigned = sign(null, treeHeadSignedBytes(head), keys.privateKey).toString('hex');
    expect(reportSignatureFailure({ ...head, signature: { keyId: signer.keyId, value: headMessageSigned } }, [keys.publicKey])).toMatchObject({ code: 'bad-signature' });
  });
});
