/** Thrown for an address under /console that no page has: answered 404 with the console's page, not the API's JSON. */
export class NoSuchPage extends Error {
  override readonly name = 'NoSuchPage';
}
