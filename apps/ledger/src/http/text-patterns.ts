/** An identifier written by a system or a person (actor ids, units, key names): letters, digits and . _ : @ / -, no spaces or control characters. */
export const CODE = /^[\p{L}\p{N}][\p{L}\p{N}._:@/-]*$/u;

/** Free text (notes, reasons, details): anything printable, no control characters except tab and newline. */
export const TEXT = /^[^\u0000-\u0008\u000B-\u001F\u007F]*$/;
