import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { EVENT_STORE, NO_STREAM, WrongExpectedVersionError, type EventStore } from '@derbes/event-store';
import { HmacSha256, SubjectPseudonymizer } from '@derbes/ledger';
import { Clock } from '../clock';
import { confirmPseudonymKeyFile, dropPseudonymKeyFile, type PseudonymKey } from './pseudonym-key';

export const PSEUDONYM_KEY_STREAM = 'admin-pseudonym-key';
export const PSEUDONYM_KEY_CHECK_RECORDED = 'PseudonymKeyCheckRecorded';
export const PSEUDONYM_KEY_CHECK_SCHEMA_VERSION = 1;
/** The token for where start-up found the pseudonym key (PseudonymKey without the key). */
export const PSEUDONYM_KEY_ORIGIN = Symbol('PSEUDONYM_KEY_ORIGIN');

export interface PseudonymKeyCheckData {
  /** HMAC-SHA-256 of a fixed text under a key derived from the pseudonym key: names the key, reveals nothing of it. */
  readonly check: string;
  readonly recordedAt: string;
}

/** The check value of a pseudonym key. */
export function pseudonymKeyCheck(pseudonymizer: SubjectPseudonymizer): string {
  return new HmacSha256(pseudonymizer.derivedKey('pseudonym key check v1')).hex('derbes pseudonym key check');
}

/**
 * Subjects are filed under HMAC(key, IIN): started with another key (a changed DERBES_PSEUDONYM_KEY, a lost key
 * file made anew, a restore beside another ledger's key file), the ledger would file each person under a new id for
 * good, splitting their history, and answer every retried record as a conflict. The log keeps the check value of
 * the key its subjects are filed under, recorded by the first start that had none; every start compares, and one
 * with another key stops, naming where its key came from. A key file made because none was found stays unconfirmed
 * (`pseudonym.key.unconfirmed`) until this check: it is then given its name, or removed if it is not the ledger's key.
 */
@Injectable()
export class PseudonymKeyCheck implements OnModuleInit {
  private readonly logger = new Logger('config');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly pseudonymizer: SubjectPseudonymizer,
    @Inject(PSEUDONYM_KEY_ORIGIN) private readonly origin: Omit<PseudonymKey, 'key'>,
    private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    const { unconfirmed } = this.origin;
    try {
      await this.check();
    } catch (error) {
      if (unconfirmed) dropPseudonymKeyFile(unconfirmed);
      throw error;
    }
    if (unconfirmed) confirmPseudonymKeyFile(unconfirmed);
  }

  private async check(): Promise<void> {
    const check = pseudonymKeyCheck(this.pseudonymizer);
    for (let attempt = 1; ; attempt++) {
      const recorded = (await this.store.readStream(PSEUDONYM_KEY_STREAM, { maxCount: 1 }))[0];
      if (recorded) {
        const data = recorded.data as unknown as PseudonymKeyCheckData;
        if (data.check === check) return;
        throw new Error(`the pseudonym key (${this.origin.source}) is not the key this ledger's subjects are filed under `
          + `(its check value was recorded at position ${recorded.position}, ${data.recordedAt}): with it, every person would be filed `
          + 'under a new id. Start with the ledger\'s key: its DERBES_PSEUDONYM_KEY, or its pseudonym.key file (from a backup)');
      }
      // No check value yet: a new ledger, or one made before checks were kept. One that already holds events, started
      // with a key made just now, surely lost its own.
      if (this.origin.unconfirmed && (await this.store.lastPosition()) > 0) {
        throw new Error(`no pseudonym key was found (${this.origin.unconfirmed.replace(/\.unconfirmed$/, '')}), but the log already holds events: a new key would file every person `
          + 'under a new id. Put the ledger\'s pseudonym.key back (from a backup), or set its DERBES_PSEUDONYM_KEY');
      }
      try {
        await this.store.appendToStream(PSEUDONYM_KEY_STREAM, [{
          id: randomUUID(),
          type: PSEUDONYM_KEY_CHECK_RECORDED,
          data: { check, recordedAt: this.clock.now().toISOString() } satisfies PseudonymKeyCheckData as never,
          metadata: { schemaVersion: PSEUDONYM_KEY_CHECK_SCHEMA_VERSION } as never,
        }], NO_STREAM);
        if ((await this.store.lastPosition()) > 1) this.logger.log('recorded the pseudonym key\'s check value in the log: a start with another key is refused from now on');
        return;
      } catch (error) {
        // Another process recorded one meanwhile: compare with theirs.
        if (!(error instanceof WrongExpectedVersionError) || attempt >= 3) throw error;
      }
    }
  }
}
