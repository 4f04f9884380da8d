import { redactIins } from '@derbes/ledger';

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
    return typeof encoding === 'string' && !/^utf-?8$/i.test(encoding) ? chunk : redactIins(chunk);
  }
  let text: string;
  try {
    text = UTF8.decode(chunk);
  } catch {
    return chunk; // bytes that are not text are not rewritten
  }
  const redacted = redactIins(text);
  return redacted === text ? chunk : Buffer.from(redacted, 'utf8');
}
