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
 * Text that says something: at least one letter, digit, punctuation mark or symbol, and not one of the blank
 * "letters" (the Hangul fillers U+115F, U+1160, U+3164, U+FFA0; the blank braille pattern U+2800). Spaces of any
 * width, zero-width and format characters, combining marks and variation selectors alone say nothing. For what
 * stands as a reason or a reference: a blank one would pass as a consent reference, and a transfer abroad would lose
 * its flag.
 */
export const NOT_BLANK = /(?![\u115F\u1160\u3164\uFFA0\u2800])[\p{L}\p{N}\p{P}\p{S}]/u;
