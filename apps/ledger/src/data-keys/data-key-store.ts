/** A subject's data key of one version: AES-256, 32 bytes. */
export interface DataKey {
  readonly version: number;
  readonly key: Buffer;
}

/**
 * Where subjects' data keys live: the one thing crypto-shredding destroys. Keys are versioned per subject: once a
 * subject's key is destroyed, a later record about them (new processing) gets a fresh version, and texts sealed
 * with the destroyed one stay unreadable. The file store is the default; a KMS can implement this later.
 */
export interface DataKeyStore {
  /** The subject's live key of the latest version, created on first use or after the last one was destroyed. */
  keyFor(subjectId: string): Promise<DataKey>;
  /** The key of that version; 'destroyed' once destroyed; null when this store never had it (lost, not restored). */
  find(subjectId: string, version: number): Promise<Buffer | 'destroyed' | null>;
  /** Destroys every live version of the subject's key, irreversibly; nothing when they have none. */
  destroy(subjectId: string, at: Date): Promise<void>;
  /** When that version was destroyed (ISO UTC), or null when it was not (or is unknown). */
  destroyedAt(subjectId: string, version: number): Promise<string | null>;
  /** Writes down, durably, a destruction whose event is about to be appended. */
  intendDestruction(destruction: PendingDestruction): Promise<void>;
  /** Destroys the subject's live keys as `destroy` does, and forgets the destruction written down, in one step. */
  settleDestruction(destruction: PendingDestruction): Promise<void>;
  /** Forgets a destruction written down whose event was not stored. */
  forgetDestruction(subjectId: string, eventId: string): Promise<void>;
  /** The destructions written down and neither carried out nor forgotten (a crash in between). */
  pendingDestructions(): Promise<PendingDestruction[]>;
}

/** A destruction written down before the event that records it is appended. */
export interface PendingDestruction {
  readonly subjectId: string;
  /** The id the SubjectDataKeyDestroyed event is appended under. */
  readonly eventId: string;
  /** ISO UTC: when the key is destroyed. */
  readonly at: string;
}

/** The DI token of the data-key store. */
export const DATA_KEY_STORE = 'DATA_KEY_STORE';
