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
}

/** The DI token of the data-key store. */
export const DATA_KEY_STORE = 'DATA_KEY_STORE';
