import { NO_PASSWORD_HASH, hashPassword, passwordMatches, passwordProblem } from './console-password';

describe('console passwords', () => {
  it('stores a salted scrypt hash that matches the password only', async () => {
    const password = 'Қазақбайұлы-2026-parol';
    const [a, b] = await Promise.all([hashPassword(password), hashPassword(password)]);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(password);
    await expect(passwordMatches(password, a)).resolves.toBe(true);
    await expect(passwordMatches(password, b)).resolves.toBe(true);
    await expect(passwordMatches(`${password} `, a)).resolves.toBe(false);
    await expect(passwordMatches(password, 'not-a-hash')).resolves.toBe(false);
    await expect(passwordMatches(password, NO_PASSWORD_HASH)).resolves.toBe(false);
  });

  it('reads a password in NFC, so that the same letters typed two ways match', async () => {
    const composed = 'Әлихан-құпиясөз';
    const stored = await hashPassword(composed);
    await expect(passwordMatches(composed.normalize('NFD'), stored)).resolves.toBe(true);
  });

  it('refuses passwords shorter than 12 characters, counted as letters rather than bytes', () => {
    expect(passwordProblem('short')).toBe('must be at least 12 characters');
    expect(passwordProblem('ққққққққққққ')).toBeNull();
    expect(passwordProblem('x'.repeat(1025))).toBe('must be at most 1024 characters');
    expect(passwordProblem('first line long enough\nsecond line')).toBe('must be one line');
    expect(passwordProblem('first line long enough\rsecond line')).toBe('must be one line');
    // Counted in characters, not UTF-16 units: eleven emoji are eleven characters, though 22 units.
    expect(passwordProblem('😀'.repeat(11))).toBe('must be at least 12 characters');
    expect(passwordProblem('😀'.repeat(12))).toBeNull();
    expect(passwordProblem('x'.repeat(1024))).toBeNull();
  });
});
