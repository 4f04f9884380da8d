import type { Register } from '@derbes/register';
import { findViolations } from './compliance-rules';
import { SUBJECT_RIGHTS_PURPOSE, isSubjectRightsRecord } from './subject-rights-purpose';
import type { RecordProcessing } from './processing-record.command';
import { PROCESSING_RECORDED, type ProcessingRecorded } from './processing-record.events';
import type { SubjectState } from './subject-state';

export interface DecideContext {
  readonly register: Register | undefined;
  readonly adequateCountries: ReadonlySet<string>;
}

/**
 * Turns a validated record into the subject's event. Every well-formed record is recorded; what the approved list
 * does not allow is flagged on the event, never dropped.
 */
export function decide(command: RecordProcessing, state: SubjectState, context: DecideContext): ProcessingRecorded[] {
  const { register } = context;
  const purpose = register?.purposes.find((p) => p.code === command.purpose.code);
  const legalBasis = isSubjectRightsRecord(command) ? [...SUBJECT_RIGHTS_PURPOSE.legalBasis] : purpose?.legalActs ?? [];
  const crossBorder = command.operation === 'transfer' && !!command.recipient && command.recipient.country !== 'KZ';
  return [
    {
      type: PROCESSING_RECORDED,
      data: {
        recordId: command.recordId,
        subjectId: command.subjectId,
        operation: command.operation,
        categories: command.categories,
        purpose: { code: command.purpose.code, slug: command.purpose.slug, clause: purpose?.clause ?? null },
        register: register ? { id: register.id, version: register.version, order: register.order.number } : null,
        legalBasis,
        actor: command.actor,
        system: command.system,
        occurredAt: command.occurredAt,
        source: command.source,
        recipient: command.recipient,
        crossBorder,
        transferGround: command.transferGround,
        note: command.note,
        violations: findViolations(command, state, context),
        embargoUntil: command.embargoUntil,
        subjectMask: command.subjectMask,
        requestId: command.requestId,
        sourceSequence: command.sourceSequence,
      },
    },
  ];
}
