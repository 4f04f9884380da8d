/** DI token of the validated LedgerConfig (an interface, so it needs a token; everything else is a class). */
export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');
