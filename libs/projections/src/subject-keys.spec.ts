import type { ReadModelTables } from './projection';
import { openReadModelDatabase } from './read-model-database';
import { createSubjectsTable, existingSubjectKey, subjectKeyFor } from './subject-keys';

describe('subject keys', () => {
  it('gives a subject one key, made with its first row and found after; none before, and none to a subject of other tables', () => {
    const db = openReadModelDatabase(':memory:');
    const tables: ReadModelTables = { db, table: (n) => 'a_g1_' + n };
    const other: ReadModelTables = { db, table: (n) => 'b_g1_' + n };
    createSubjectsTable(tables);
    createSubjectsTable(other);
    const a = 'a'.repeat(64);
    const b = 'b'.repeat(64);
    expect(existingSubjectKey(tables, a)).toBeUndefined();
    const keyA = subjectKeyFor(tables, a);
    const keyB = subjectKeyFor(tables, b);
    expect(keyB).not.toBe(keyA);
    expect(subjectKeyFor(tables, a)).toBe(keyA);
    expect(existingSubjectKey(tables, a)).toBe(keyA);
    expect(existingSubjectKey(tables, b)).toBe(keyB);
    expect(existingSubjectKey(other, a)).toBeUndefined();
    expect(db.prepare('SELECT COUNT(*) FROM "a_g1_subjects"').pluck().get()).toBe(2);
  });
});
