// The verifiable log (issue 6): canonical event bytes, the RFC 9162 Merkle tree and its proofs, the per-subject
// chain and signed tree heads. CANONICAL.md is the contract for verifiers outside Derbes.
export { CanonicalJsonError, canonicalJson, canonicalJsonOfStored, type JsonObject, type JsonValue } from '@derbes/canonical-json';
export {
  CHAIN_HASH_PREFIX, canonicalEventBytes, canonicalEventJson, chainHash, chainHashOfUnstored, chainJson, eventLeafHash,
  type CanonicalEvent, type ChainedEvent, type UnstoredChainedEvent,
} from './canonical-event';
export {
  EMPTY_ROOT, HASH_SIZE, consistencyProof, inclusionProof, leafHash, merkleRoot, nodeHash, verifyConsistency,
  verifyInclusion,
} from './merkle';
export { MerkleLog, type MerkleLogOptions } from './merkle-log';
export {
  keyIdOf, rawPublicKey, signTreeHead, signedTreeHeadOf, treeHeadSignedBytes, verifyTreeHead,
  type SignedTreeHead, type TreeHead, type TreeHeadSigner,
} from './tree-head';
export { SIGNING_KEYS_DIR, checkKeyFileMode, checkSigningKeys, isSigningKeyFileName, loadOrCreateSigningKeys, readSigningKeys, rotate, signingKeyFileNames, type PublicKeyInfo, type SigningKey, type SigningKeys } from './signing-keys';
export { verifyChain, type ChainBreak, type ChainVerdict } from './subject-chain';
export { TREE_HEADS_STREAM, TREE_HEAD_SCHEMA_VERSION, TREE_HEAD_SIGNED, treeHeadOf } from './tree-head-event';
export {
  verifyLog, type Finding, type FindingKind, type LogReport, type LogVerifierInput, type LoggedHead,
} from './log-verifier';
export { HashedColumnsWriter, type HashedColumns } from './hashed-columns';
export {
  SUBJECT_STREAM_PREFIX, addStoredEvent, canonicalJsonFromText, hashEvent, hashStoredEvent, storedLeafHash, type HashedEvent, type StoredEventBytes, type StoredEventText,
  type Utf8Text,
} from './log-verifier-hashing';
export { loadPublicKeys, parsePublicKeys } from './log-verifier-keys';
export { REPORT_SIGNATURE_PREFIX, reportSignatureFailure, reportSignedBytes, signReport, type ReportSignature } from './report-signature';
export { verifyReport, type ReportFailure, type ReportSummary, type ReportVerdict, type VerifyReportOptions } from './report-verifier';
