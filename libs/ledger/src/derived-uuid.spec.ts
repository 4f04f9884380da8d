import { randomUUID } from 'node:crypto';
import { DERIVED_UUID_VERSION, derivedUuid, isDerivedUuidVersion } from './derived-uuid';

describe('derivedUuid', () => {
  it('gives the same RFC 9562 UUID of version 8 for a name, every time, and another for another name', () => {
    const names = ['q-1/destroy', 'heartbeat hr-portal 5 2026-11-25T11:59:00.000Z', ''];
    for (const name of names) {
      const id = derivedUuid(name);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(derivedUuid(name)).toBe(id);
    }
    expect(new Set(names.map(derivedUuid)).size).toBe(names.length);
    expect(DERIVED_UUID_VERSION).toBe(8);
  });

  it('tells its ids (what clients may not choose) from the random ones clients make, in either case', () => {
    const derived = derivedUuid('q-1/block');
    expect(isDerivedUuidVersion(derived)).toBe(true);
    expect(isDerivedUuidVersion(derived.toUpperCase())).toBe(true);
    for (let i = 0; i < 100; i++) expect(isDerivedUuidVersion(randomUUID())).toBe(false);
    expect(isDerivedUuidVersion('4f7c0c1e-8a59-4d7e-9d0e-2b1f1f0f6a11')).toBe(false);
    expect(isDerivedUuidVersion('not-a-uuid')).toBe(false);
  });
});
