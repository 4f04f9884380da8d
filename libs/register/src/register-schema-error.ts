/** Field name used when the problem is with the whole value (not an object, not JSON, unreadable file). */
export const ROOT_FIELD = '(root)';

/**
 * A register (or a registers file, or a set of registers given to the catalog) that does not satisfy the model.
 * `field` is a path into the value, e.g. `categories[4].names.kk`, or `[1].categories[4].names.kk` inside an array.
 */
export class RegisterSchemaError extends Error {
  override readonly name = 'RegisterSchemaError';

  constructor(
    /** Where the value came from: a file path, 'built-in order-328-O.json', 'register catalog'... */
    readonly source: string,
    readonly field: string,
    readonly reason: string,
    /** What kind of file it is, for the message: `registers file` unless another data file is read the same way. */
    what = 'registers file',
  ) {
    super(`${what} ${source}: ${field}: ${reason}`);
  }
}
