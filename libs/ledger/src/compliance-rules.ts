import type { Register } from '@derbes/register';
import type { RecordProcessing } from './processing-record.command';
import type { Violation } from './processing-record.events';
import { categoryStatusAt, type SubjectState } from './subject-state';
import { isSubjectRightsRecord } from './subject-rights-purpose';

export interface ComplianceContext {
  /** The owner's register in force at the record's `occurredAt`, if any. */
  readonly register: Register | undefined;
  /** Countries deemed to protect personal data adequately (Art. 16); configuration, not law in code. */
  readonly adequateCountries: ReadonlySet<string>;
}

/**
 * What the approved list and the subject's history say against a record. Pure: every rule reads only its
 * arguments. A non-empty result does not reject the record: it is stored and flagged.
 */
export function findViolations(command: RecordProcessing, state: SubjectState, context: ComplianceContext): Violation[] {
  const violations: Violation[] = [];
  const { register } = context;

  if (!register) {
    violations.push({
      code: 'no-register-in-force',
      detail: `no approved list of personal data was in force on ${command.occurredAt}`,
    });
  } else {
    const purpose = register.purposes.find((p) => p.code === command.purpose.code);
    if (!purpose && !isSubjectRightsRecord(command)) {
      violations.push({
        code: 'purpose-not-in-register',
        detail: `purpose ${command.purpose.code} is not in ${register.id} v${register.version}`,
      });
    }
    for (const ref of command.categories) {
      const category = register.categories.find((c) => c.number === ref.number);
      if (!category) {
        violations.push({
          code: 'category-not-in-register',
          category: ref.number,
          detail: `category ${ref.number} (${ref.slug}) is not in ${register.id} v${register.version}`,
        });
      } else if (purpose && category.purposes && !category.purposes.includes(purpose.code)) {
        violations.push({
          code: 'purpose-not-approved-for-category',
          category: ref.number,
          detail: `purpose ${purpose.code} is not approved for category ${ref.number} (${ref.slug})`,
        });
      }
    }
  }

  // Judged at the record's occurredAt: the marks of later instants had not happened yet, whenever they arrived.
  const at = Date.parse(command.occurredAt);
  // Blocking suspends processing; lifting the block, blocking again and destroying (Art. 25) stay allowed, and so does
  // whatever the ledger does itself to carry out the subject's own request (a change they asked for while blocked).
  const carriesOutRequest = isSubjectRightsRecord(command);
  const allowedWhileBlocked = command.operation === 'unblock' || command.operation === 'block' || command.operation === 'destroy'
    || carriesOutRequest;
  for (const ref of command.categories) {
    const held = state.categories.get(ref.number);
    if (!held) continue;
    const status = categoryStatusAt(held, at);
    // The ledger's own record of carrying out the subject's request (a destruction they asked for, of data partly
    // destroyed or depersonalized already) is what they asked, not a processing charged to the official.
    if (status.destroyedAt && !carriesOutRequest) {
      violations.push({
        code: 'category-destroyed',
        category: ref.number,
        since: status.destroyedAt,
        detail: `${command.operation} of category ${ref.number} (${ref.slug}), destroyed at ${status.destroyedAt}`,
      });
    }
    if (status.depersonalizedAt && !carriesOutRequest) {
      violations.push({
        code: 'category-depersonalized',
        category: ref.number,
        since: status.depersonalizedAt,
        detail: `${command.operation} of category ${ref.number} (${ref.slug}), depersonalized at ${status.depersonalizedAt}`,
      });
    }
    if (status.blockedAt && !allowedWhileBlocked) {
      violations.push({
        code: 'blocked-data-processed',
        category: ref.number,
        since: status.blockedAt,
        detail: `${command.operation} of category ${ref.number} (${ref.slug}), blocked since ${status.blockedAt}`,
      });
    }
  }

  if (command.operation === 'transfer' && command.recipient && command.recipient.country !== 'KZ') {
    const adequate = context.adequateCountries.has(command.recipient.country);
    if (!adequate && !command.transferGround) {
      violations.push({
        code: 'cross-border-without-ground',
        detail: `transfer to ${command.recipient.country} without consent or treaty reference, and ${command.recipient.country} is not listed as adequate`,
      });
    }
  }
  return violations;
}
