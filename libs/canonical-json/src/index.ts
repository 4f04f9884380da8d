// The one JSON form Derbes stores and hashes (libs/integrity/CANONICAL.md): the store writes every event's data and
// metadata in it, the Merkle leaf and the subject chain hash it. Imports nothing, so that both sides can use it.
export { CanonicalJsonError, canonicalJson, canonicalJsonOfStored, type JsonObject, type JsonValue } from './canonical-json';
export { canonicalJsonBytesOfStored, stringifiedJsonBytes } from './json-bytes';
export { isCanonicalJson } from './canonical-text';
export { duplicateMember, duplicateMemberName, duplicateMemberOf, type DuplicateMember } from './duplicate-member';
export { keepStoredJson, storedJson, storedJsonObject } from './stored-json';
