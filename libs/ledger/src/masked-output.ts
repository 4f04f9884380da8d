import { redactIins } from './iin';

type Write = (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;

/**
 * Makes every write to `stream` pass through redactIins, and returns the stream's own write for what must go out as
 * it is. What the CLI prints may quote what was typed (a directory named after a person, a key id, an argument), on
 * success as on failure: an IIN in it is shown masked, as in the ledger's error messages. Done on the stream, once,
 * so that no line is left out: summaries, errors, progress lines and Nest's logger alike.
 */
export function maskIinsIn(stream: NodeJS.WritableStream): Write {
  const write = stream.write.bind(stream) as Write;
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => write(masked(chunk, rest[0]), ...rest)) as typeof stream.write;
  return write;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function masked(chunk: string | Uint8Array, encoding: unknown): string | Uint8Array {
  if (typeof chunk === 'string') {
    // A string in another encoding (hex, base64) is not text to read.
    return typeof encoding === 'string' && !/^utf-?8$/i.test(encoding) ? chunk : redactOutsideHashes(chunk);
  }
  let text: string;
  try {
    text = UTF8.decode(chunk);
  } catch {
    return chunk; // bytes that are not text are not rewritten
  }
  const redacted = redactOutsideHashes(text);
  return redacted === text ? chunk : Buffer.from(redacted, 'utf8');
}

/**
 * What the CLI prints that only looks like it may hold an IIN: a hash or a root (64 hexadecimal digits), a signature
 * (128), with a letter among them. About one hash in 10,000 holds twelve decimal digits that read as a valid IIN:
 * masked, `derbes verify` would print a root that is not the root. Only these exact shapes, standing apart from
 * letters and digits of any script: a shorter hexadecimal word, or one inside a longer word (`каталог<hash>`), may
 * be a name someone typed (a directory `cafe791028302728`), and is masked as text.
 *
 * Not a UUID: its last group has room for a whole IIN, and its groups for one split by hyphens
 * (`00000000-0000-0000-0000-791028302728`), which a record id sent by a client or a typed argument may be. An IIN
 * never goes out in clear, so such a word is masked like any other; about one random (version 4) UUID in 6,500 has
 * digits that, read across its hyphens as a code's are, pass as an IIN, and prints masked too. Nor a signing key's
 * id (16 digits): one read from a report or typed looks the same as one the CLI made, and the ledger makes no key
 * whose id reads as an IIN (newSigningKeyPair).
 */
const HEX_WORD = /(?<![\p{L}\p{N}\p{M}-])(?=[0-9]*[a-fA-F])(?:[0-9a-fA-F]{128}|[0-9a-fA-F]{64})(?![\p{L}\p{N}\p{M}-])/gu;

/**
 * redactIins on the whole text, but for runs of digits inside a hexadecimal word, which go out as they are. A run
 * that reaches across the word's edge (its last digits joined by `_`, a space or nothing to digits outside it:
 * `<62 hex>79_1028302728`) is read whole and masked if it holds an IIN: cut at the edge, neither part has twelve.
 */
function redactOutsideHashes(text: string): string {
  let words: (readonly [number, number])[] | undefined; // looked for only once a run holds an IIN
  return redactIins(text, (start, end) =>
    (words ??= Array.from(text.matchAll(HEX_WORD), (w) => [w.index, w.index + w[0].length] as const)).some(([from, to]) => from <= start && end <= to));
}
