import type { SequenceState, SequenceStore } from './sequence-store';

/**
 * The numbering of one system: assigns consecutive numbers, remembers which are not yet acknowledged and the numbers
 * of the last `remember` records acknowledged, and saves that through the store, coalescing saves (one write at a
 * time; a save asked for during a write is done by the next one).
 */
export class SequenceNumbers {
  private lastSequence = 0;
  /** The last number of the state last saved: a restart gives out the numbers after it again. */
  private lastSaved = 0;
  private readonly unacknowledged = new Map<string, number>();
  /** recordId -> number of the records acknowledged most recently, oldest first. */
  private readonly acknowledged = new Map<string, number>();
  private version = 0;
  private savedVersion = 0;
  private writing: Promise<void> | undefined;
  private background = false;

  private constructor(private readonly system: string, private readonly store: SequenceStore, private readonly remember: number) {}

  static async load(system: string, store: SequenceStore, remember: number): Promise<SequenceNumbers> {
    const numbers = new SequenceNumbers(system, store, remember);
    const state = await store.load();
    if (state) {
      if (state.system !== system) throw new Error(`the sequence store holds the numbering of system ${state.system}, not ${system}`);
      numbers.lastSequence = state.lastSequence;
      numbers.lastSaved = state.lastSequence;
      // In lower case, as record() keys them now: a file saved before may hold an id as the caller gave it.
      for (const [recordId, n] of Object.entries(state.unacknowledged)) numbers.unacknowledged.set(recordId.toLowerCase(), n);
      for (const [recordId, n] of Object.entries(state.acknowledged ?? {})) numbers.acknowledged.set(recordId.toLowerCase(), n);
      numbers.forgetOldest();
    }
    return numbers;
  }

  /**
   * The record's number: the one it was given before if it is unacknowledged or among the acknowledged remembered
   * (a resend after a crash: the ledger holds the record with that number and answers it as a duplicate), else the next one.
   */
  assign(recordId: string): number {
    const earlier = this.unacknowledged.get(recordId) ?? this.acknowledged.get(recordId);
    if (earlier !== undefined) return earlier;
    this.lastSequence += 1;
    this.unacknowledged.set(recordId, this.lastSequence);
    this.version += 1;
    return this.lastSequence;
  }

  acknowledge(recordId: string): void {
    const n = this.unacknowledged.get(recordId);
    if (n === undefined) return;
    this.unacknowledged.delete(recordId);
    this.acknowledged.set(recordId, n);
    this.forgetOldest();
    this.version += 1;
  }

  /** Gives up a reserved number for good: the ledger will show it as a gap. */
  release(recordId: string): boolean {
    const released = this.unacknowledged.delete(recordId);
    if (released) this.version += 1;
    return released;
  }

  get last(): number {
    return this.lastSequence;
  }

  /** The highest number that a restart would not give out again: the last one in the store. */
  get saved(): number {
    return this.lastSaved;
  }

  /** Numbers assigned and not acknowledged, lowest first. */
  pending(): { recordId: string; sourceSequence: number }[] {
    return [...this.unacknowledged].map(([recordId, sourceSequence]) => ({ recordId, sourceSequence })).sort((a, b) => a.sourceSequence - b.sourceSequence);
  }

  /**
   * Saves soon without waiting: at most one such save at a time, followed by another if numbers changed meanwhile.
   * After a failure the next change or the next send tries again.
   */
  saveInBackground(onError: (error: unknown) => void): void {
    if (this.background) return;
    this.background = true;
    this.save().then(
      () => {
        this.background = false;
        if (this.savedVersion < this.version) this.saveInBackground(onError);
      },
      (error: unknown) => {
        this.background = false;
        onError(error);
      },
    );
  }

  /** Resolves once every change made before the call is in the store. */
  async save(): Promise<void> {
    const target = this.version;
    while (this.savedVersion < target) {
      if (this.writing) {
        await this.writing.catch(() => undefined);
        continue;
      }
      const version = this.version;
      const snapshot = this.snapshot();
      this.writing = this.store.save(snapshot).then(
        () => {
          this.savedVersion = Math.max(this.savedVersion, version);
          this.lastSaved = Math.max(this.lastSaved, snapshot.lastSequence);
          this.writing = undefined;
        },
        (error: unknown) => {
          this.writing = undefined;
          throw error;
        },
      );
      await this.writing;
    }
  }

  private snapshot(): SequenceState {
    return {
      system: this.system, lastSequence: this.lastSequence,
      unacknowledged: Object.fromEntries(this.unacknowledged), acknowledged: Object.fromEntries(this.acknowledged),
    };
  }

  private forgetOldest(): void {
    for (const recordId of this.acknowledged.keys()) {
      if (this.acknowledged.size <= this.remember) return;
      this.acknowledged.delete(recordId);
    }
  }
}
