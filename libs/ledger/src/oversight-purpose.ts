/**
 * The purpose of reading a subject's file to oversee its processing: the internal control that the person
 * responsible for organising processing exercises (Law 94-V, Art. 25 para 3). It is not one of an order's
 * purposes, so the ledger names it itself, for reads of the file only.
 */
export const OVERSIGHT_PURPOSE = { code: 'OVERSIGHT', slug: 'oversight' } as const;
