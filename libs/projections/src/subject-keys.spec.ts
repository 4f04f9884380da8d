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
    const keyA = subjectKeyFor(tables, a, 1);
    const keyB = subjectKeyFor(tables, b, 2);
    expect(keyB).not.toBe(keyA);
    expect(subjectKeyFor(tables, a, 3)).toBe(keyA);
    expect(existingSubjectKey(tables, a)).toBe(keyA);
    expect(existingSubjectKey(tables, b)).toBe(keyB);
    expect(existingSubjectKey(other, a)).toBeUndefined();
    expect(db.prepare('SELECT COUNT(*) FROM "a_g1_subjects"').pluck().get()).toBe(2);
  });

  it('forgets the keys learned in a transaction that rolled back, once the log is applied again from before them', () => {
    const db = openReadModelDatabase(':memory:');
    const tables: ReadModelTables = { db, table: (n) => 'a_g1_' + n };
    createSubjectsTable(tables);
    const [a, b, c] = ['a', 'b', 'c'].map((x) => x.repeat(64)) as [string, string, string];
    const keyA = db.transaction(() => subjectKeyFor(tables, a, 1))();
    // The batch of positions 2-3 rolls back, as the runner's savepoint does when a projection fails in it.
    expect(() => db.transaction(() => {
      subjectKeyFor(tables, b, 2);
      subjectKeyFor(tables, a, 3);
      throw new Error('failed');
    })()).toThrow('failed');
    expect(db.prepare('SELECT COUNT(*) FROM "a_g1_subjects"').pluck().get()).toBe(1);
    // Applied again from position 2, in another order of subjects: c first gets the key b had, b one of its own.
    const keyC = subjectKeyFor(tables, c, 2);
    const keyB = subjectKeyFor(tables, b, 3);
    expect(new Set([keyA, keyB, keyC]).size).toBe(3);
    expect(subjectKeyFor(tables, a, 4)).toBe(keyA);
    expect(existingSubjectKey(tables, b)).toBe(keyB);
    expect(existingSubjectKey(tables, c)).toBe(keyC);
  });
});
