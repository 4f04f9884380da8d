// The typed client for emitting systems: batches, numbers and retries processing records, and sends heartbeats.
export { DerbesClient, type FlushResult } from './derbes-client';
export type { DerbesClientOptions } from './client-options';
export { DerbesClientError, RecordRejectedError, type ClientErrorCode } from './client-errors';
export { FileSequenceStore, InMemorySequenceStore, type SequenceState, type SequenceStore } from './sequence-store';
export type { ErrorBody, FieldError, Operation, ProcessingRecord, RecordInput, RecordResult, Violation } from './processing-record';
