import type { RecipientKind, SourceKind, TransferGroundKind } from '@derbes/ledger';
import type { SealedField } from './sealed-text';
import type { SealableRecord, TextOpener } from './subject-sealer';

/**
 * How the JSON views mark what crypto-shredding made unreadable: each such text is shown as null, and the entry
 * carries `shredded` naming those fields and when the key was destroyed (null when this key store does not have the
 * key at all: lost, or never restored). Absent when every text of the entry could be shown.
 */
export interface Shredded {
  readonly destroyedAt: string | null;
  readonly fields: readonly string[];
}

/** Opens one entry's texts for display, noting the ones that cannot be opened. */
export class EntryTexts {
  private readonly unreadable: string[] = [];
  private destroyedAt: string | null = null;

  constructor(
    private readonly opener: TextOpener,
    private readonly subjectId: string,
  ) {}

  text(field: SealedField, value: string, path: string = field): string | null {
    const opened = this.opener.open(this.subjectId, field, value);
    if (typeof opened === 'string') return opened;
    this.unreadable.push(path);
    if (opened.destroyedOn !== null && (this.destroyedAt === null || opened.destroyedOn > this.destroyedAt)) this.destroyedAt = opened.destroyedOn;
    return null;
  }

  /** `{ shredded }` to spread into the entry when a text could not be opened, else `{}`. */
  marker(): { shredded?: Shredded } {
    return this.unreadable.length === 0 ? {} : { shredded: { destroyedAt: this.destroyedAt, fields: [...this.unreadable] } };
  }
}

/** A record's texts as shown. */
export interface ShownRecordTexts {
  readonly note: string | null;
  readonly source: { readonly kind: SourceKind; readonly name?: string | null } | null;
  readonly recipient: { readonly name: string | null; readonly country: string; readonly kind?: RecipientKind } | null;
  readonly transferGround: { readonly kind: TransferGroundKind; readonly reference: string | null } | null;
}

export function showRecordTexts(d: SealableRecord, texts: EntryTexts): ShownRecordTexts {
  const { source, recipient, transferGround, note } = d;
  return {
    note: note === null ? null : texts.text('note', note),
    source: source && source.name !== undefined ? { ...source, name: texts.text('source.name', source.name) } : source,
    recipient: recipient ? { ...recipient, name: texts.text('recipient.name', recipient.name) } : null,
    transferGround: transferGround ? { ...transferGround, reference: texts.text('transferGround.reference', transferGround.reference) } : null,
  };
}
