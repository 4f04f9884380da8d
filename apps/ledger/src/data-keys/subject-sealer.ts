import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ProcessingRecordedData, SubjectEvent } from '@derbes/ledger';
import { DATA_KEY_STORE, type DataKey, type DataKeyStore } from './data-key-store';
import { SealedTextError, seal, sealedKeyVersion, unseal, type SealedField } from './sealed-text';

/** The texts of a record that may identify a person: the same fields on a command and on its event. */
export type SealableRecord = Pick<ProcessingRecordedData, 'note' | 'source' | 'recipient' | 'transferGround'>;

/** A text as it can be shown: in clear, or when its key was destroyed (null: the key is not in this key store). */
export type OpenedText = string | { readonly destroyedOn: string | null };

/** Whether a record has text to seal: only then does its subject need a key. */
export function hasTextToSeal(record: SealableRecord): boolean {
  return record.note !== null || record.transferGround !== null || record.recipient?.kind === 'person'
    || (record.source?.kind === 'third-party' && record.source.name !== undefined);
}

/** Every text of an event that may be sealed (plain ones included), to fetch the keys that opening them needs. */
export function textsOf(event: SubjectEvent): (string | null | undefined)[] {
  switch (event.type) {
    case 'ProcessingRecorded': {
      const d = event.data;
      return [d.note, d.source?.name, d.recipient?.name, d.transferGround?.reference];
    }
    case 'SubjectRequestReceived':
      return [event.data.detail];
    case 'SubjectRequestAnswered':
      return [event.data.note];
    case 'SubjectRequestRefused':
      return [...event.data.reasons];
    default:
      return [];
  }
}

/**
 * Seals what could identify a person in an event with the subject's data key, right before it is appended, and
 * opens it where it is shown. Never into read models or logs: projections see sealed text only.
 */
@Injectable()
export class SubjectSealer {
  private readonly logger = new Logger('data-keys');

  constructor(@Inject(DATA_KEY_STORE) private readonly keys: DataKeyStore) {}

  /** The subject's key when there is text to seal; null otherwise (no key is made for nothing). */
  async keyToSeal(subjectId: string, needed: boolean): Promise<DataKey | null> {
    return needed ? this.keys.keyFor(subjectId) : null;
  }

  /** The event with its texts sealed; synchronous, so the key is fetched before deciding (keyToSeal). */
  seal(key: DataKey | null, event: SubjectEvent): SubjectEvent {
    const sealText = (field: SealedField, text: string): string => {
      if (!key) throw new Error(`${event.type} has text to seal and no key was fetched`);
      return seal(key, event.data.subjectId, field, text);
    };
    switch (event.type) {
      case 'ProcessingRecorded':
        return { type: event.type, data: sealRecord(event.data, sealText) };
      case 'SubjectRequestReceived':
        return { type: event.type, data: { ...event.data, detail: event.data.detail === null ? null : sealText('detail', event.data.detail) } };
      case 'SubjectRequestAnswered':
        return { type: event.type, data: { ...event.data, note: event.data.note === null ? null : sealText('note', event.data.note) } };
      case 'SubjectRequestRefused':
        return { type: event.type, data: { ...event.data, reasons: event.data.reasons.map((reason) => sealText('reasons', reason)) } };
      default:
        return event;
    }
  }

  /** An opener for these texts of these subjects: fetches each key they need once, then opens synchronously. */
  async opener(texts: Iterable<readonly [subjectId: string, text: string | null | undefined]>): Promise<TextOpener> {
    const keys = new Map<string, OpenKey>();
    for (const [subjectId, text] of texts) {
      const version = text == null ? null : sealedKeyVersion(text);
      const id = `${subjectId}/${version}`;
      if (version === null || keys.has(id)) continue;
      const key = await this.keys.find(subjectId, version);
      keys.set(id, key === 'destroyed' ? { destroyedOn: await this.keys.destroyedAt(subjectId, version) } : key);
    }
    return new TextOpener(keys, this.logger);
  }

  /** Destroys every live version of the subject's key: what it sealed is unreadable from now on. */
  async destroy(subjectId: string, at: Date): Promise<void> {
    await this.keys.destroy(subjectId, at);
  }
}

type OpenKey = Buffer | { readonly destroyedOn: string | null } | null;

/** Opens sealed texts whose keys were fetched; a plain text comes back as it is. */
export class TextOpener {
  constructor(
    private readonly keys: ReadonlyMap<string, OpenKey>,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  open(subjectId: string, field: SealedField, text: string): OpenedText {
    const version = sealedKeyVersion(text);
    if (version === null) return text;
    const key = this.keys.get(`${subjectId}/${version}`);
    if (key === undefined) throw new Error('a sealed text was opened without fetching its key first');
    if (key === null) return { destroyedOn: null };
    if (!Buffer.isBuffer(key)) return key;
    try {
      return unseal(key, subjectId, field, text);
    } catch (error) {
      if (!(error instanceof SealedTextError)) throw error;
      // Altered, or sealed under a key store other than this one (a version number reused after keys were lost).
      this.logger.warn(`a sealed ${field} of a subject does not open with its key version ${version}: shown as unreadable`);
      return { destroyedOn: null };
    }
  }
}

function sealRecord(d: ProcessingRecordedData, sealText: (field: SealedField, text: string) => string): ProcessingRecordedData {
  const { source, recipient, transferGround, note } = d;
  return {
    ...d,
    source: source?.kind === 'third-party' && source.name !== undefined ? { ...source, name: sealText('source.name', source.name) } : source,
    recipient: recipient?.kind === 'person' ? { ...recipient, name: sealText('recipient.name', recipient.name) } : recipient,
    transferGround: transferGround ? { ...transferGround, reference: sealText('transferGround.reference', transferGround.reference) } : null,
    note: note === null ? null : sealText('note', note),
  };
}
