/** An identifier written by a system or a person (actor ids, units, key names): letters, digits and . _ : @ / -, no spaces or control characters. */
export const CODE = /^[\p{L}\p{N}][\p{L}\p{N}._:@/-]*$/u;

/**
 * Free text (notes, reasons, details): anything printable, no control characters except tab and newline. Nor the
 * other line breaks (U+0085, U+2028, U+2029), nor bidirectional embeddings, overrides and isolates (U+202A-U+202E,
 * U+2066-U+2069): one left open in a name reverses what a page shows after it, another record's text or the country
 * of a transfer among them. (The marks U+200E, U+200F and U+061C change nothing beyond their neighbours.)
 */
export const TEXT = /^[^\u0000-\u0008\u000B-\u001F\u007F\u0085\u2028\u2029\u202A-\u202E\u2066-\u2069]*$/;

/**
 * Text that says something: at least one character that is not a space (of any width, U+00A0, U+3000...), a
 * zero-width character or a direction mark. For what stands as a reason or a reference: "   " would pass as a consent
 * reference, and a transfer abroad would lose its flag.
 */
export const NOT_BLANK = /[^\s\u180E\u200B-\u200F\u2060-\u2064\u061C]/u;
