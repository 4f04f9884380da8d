import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@derbes/event-store';
import { SUBJECT_DATA_KEY_DESTROYED } from '@derbes/ledger';
import { Clock } from '../clock';
import { DATA_KEY_STORE, type DataKeyStore, type PendingDestruction } from './data-key-store';

/**
 * Carries out a destruction of a subject's data key so that a crash cannot leave it half done. The event that records
 * it must be stored before the key goes (texts must not vanish with nothing in the ledger saying why), and the key
 * must go once the event is stored (the ledger must not say a key was destroyed that can still open texts). So the
 * destruction is written down in the key file first, then the event is appended under the id written down, then the
 * key is destroyed, which settles it. A destruction left written down (a crash or a failure in between) is settled
 * at the next start: the key is destroyed if its event was stored, and the note forgotten once it is stale if not.
 */
/** How long after its time a destruction written down, whose event is not stored, can no longer be on its way. */
export const STALE_AFTER_MS = 10 * 60_000;

@Injectable()
export class KeyDestructions implements OnApplicationBootstrap {
  private readonly logger = new Logger('data-keys');

  constructor(
    @Inject(DATA_KEY_STORE) private readonly keys: DataKeyStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  /**
   * Appends the event of a destruction of the subject's key at `at` through `append`, which must store it under the
   * id it is given (if it decides to store one at all), then destroys the key if it did.
   */
  async carryOut<T>(subjectId: string, at: Date, append: (eventId: string) => Promise<T>): Promise<T> {
    const destruction = { subjectId, eventId: randomUUID(), at: at.toISOString() };
    await this.keys.intendDestruction(destruction);
    let appended: T;
    try {
      appended = await append(destruction.eventId);
    } catch (error) {
      // The event may still have been stored (an error after the commit): settle it now, or at the next start.
      await this.settle(destruction).catch((e: unknown) => this.logger.error(`a destruction of a subject's key is left to the next start: ${String(e)}`));
      throw error;
    }
    await this.settle(destruction);
    return appended;
  }

  /**
   * Settles what a crash left written down: before the API answers anything, so no destroyed key opens a text. A
   * destruction whose event is stored is carried out. One whose event is not stored may still be on its way in
   * another process sharing the directory (a CLI command starting beside the server): it is forgotten only once no
   * append can still be waiting on it (STALE_AFTER_MS), else left to its process, or to a later start.
   */
  async onApplicationBootstrap(): Promise<void> {
    const pending = await this.keys.pendingDestructions();
    for (const destruction of pending) {
      if (await this.stored(destruction)) {
        await this.keys.settleDestruction(destruction);
        // At error level, so that a CLI command (which logs errors only) that finishes it says so too.
        this.logger.error(`a destruction of a subject's data key was left unfinished (event ${destruction.eventId} recorded it, the key was still there): finished now`);
      } else if (this.clock.now().getTime() - Date.parse(destruction.at) > STALE_AFTER_MS) {
        await this.keys.forgetDestruction(destruction.subjectId, destruction.eventId);
        this.logger.warn(`forgot a destruction of a subject's data key whose event ${destruction.eventId} was never stored`);
      }
    }
  }

  /** Destroys the key if the destruction's event is stored, else forgets it. */
  private async settle(destruction: PendingDestruction): Promise<void> {
    if (await this.stored(destruction)) await this.keys.settleDestruction(destruction);
    else await this.keys.forgetDestruction(destruction.subjectId, destruction.eventId);
  }

  private async stored(destruction: PendingDestruction): Promise<boolean> {
    return (await this.store.readEventById(destruction.eventId))?.type === SUBJECT_DATA_KEY_DESTROYED;
  }
}
