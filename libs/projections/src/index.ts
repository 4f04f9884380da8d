export * from './projection';
export * from './projection-runner';
export { openReadModelDatabase, removeDatabaseFiles } from './read-model-database';
export { WalCheckpoints, CHECKPOINT_INTERVAL_MS, WAL_SAFETY_NET_PAGES } from './wal-checkpoints';
export { MAX_BATCH_ON_OWN_THREAD } from './log-reader';
export { PROCESSING_SUMMARY, processingSummaryProjection } from './processing-summary/processing-summary.projection';
export * from './processing-summary/processing-summary.queries';
export { TRANSFERS, transfersProjection } from './transfers/transfers.projection';
export * from './transfers/transfers.queries';
export { decodeTransfersCursor, type TransfersCursorKey } from './transfers/transfers-cursor';
export { SUBJECT_INVENTORY, subjectInventoryProjection } from './subject-inventory/subject-inventory.projection';
export * from './subject-inventory/subject-inventory.queries';
export { VIOLATIONS, violationsProjection } from './violations/violations.projection';
export * from './violations/violations.queries';
export { decodeViolationsCursor, type ViolationsCursorKey } from './violations/violations-cursor';
export { ACTOR_ACTIVITY, actorActivityProjection, type ActorActivityOptions } from './actor-activity/actor-activity.projection';
export { actorActivitySummaries, unusualActivityIn, type ActorActivityScope, type ActorActivitySummary } from './actor-activity/actor-activity.queries';
export {
  UNUSUAL_ACTIVITY_RULE,
  findUnusualActivity,
  type DailyCounts,
  type UnusualActivity,
  type UnusualActivityRule,
  type UnusualKind,
} from './actor-activity/unusual-activity';
export { sensitiveCategoriesOf, sensitiveMarksOf, type IsSensitiveCategory } from './actor-activity/sensitive-categories';
export { daysInPeriod, isCalendarDay } from './actor-activity/calendar-day';
export { READ_NOTE_PREFIX, SUBJECT_HISTORY, subjectHistoryProjection } from './subject-history/subject-history.projection';
export {
  subjectHasHistory,
  subjectHistoryPage,
  type SubjectHistoryEntry,
  type SubjectHistoryFilter,
  type SubjectHistoryPage,
} from './subject-history/subject-history.queries';
export { decodeHistoryCursor, type SubjectHistoryCursorKey } from './subject-history/subject-history-cursor';
export { REQUEST_QUEUE, requestQueueProjection } from './request-queue/request-queue.projection';
export * from './request-queue/request-queue.queries';
export { INTEGRITY_LOG, integrityLogProjection } from './integrity-log/integrity-log.projection';
export * from './integrity-log/integrity-log.queries';
export { SOURCE_SYSTEMS, sourceSystemsProjection } from './source-systems/source-systems.projection';
export * from './source-systems/source-systems.queries';
export * from './source-systems/source-system-alerts';
export { findFirstHolders } from './source-systems/first-holders';
