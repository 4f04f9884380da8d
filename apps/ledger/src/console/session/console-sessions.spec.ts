import { Clock } from '../../clock';
import { ConsoleSessions, IDLE_MS, MAX_AGE_MS, csrfMatches } from './console-sessions';

class ManualClock extends Clock {
  at = Date.parse('2026-11-25T09:00:00Z');
  override now(): Date {
    return new Date(this.at);
  }
}

describe('ConsoleSessions', () => {
  it('gives 256-bit random ids and tokens, and a new id at sign-in that retires the form session', () => {
    const sessions = new ConsoleSessions(new ManualClock());
    const form = sessions.open();
    expect(Buffer.from(form.id, 'base64url')).toHaveLength(32);
    expect(Buffer.from(form.csrf, 'base64url')).toHaveLength(32);
    expect(form.id).not.toBe(form.csrf);
    const signedIn = sessions.signIn(form, 'abc123abc123', 4);
    expect(signedIn.id).not.toBe(form.id);
    expect(signedIn.csrf).not.toBe(form.csrf);
    expect(sessions.find(form.id)).toBeNull();
    expect(sessions.find(signedIn.id)?.signedIn).toEqual({ keyId: 'abc123abc123', passwordRevision: 4 });
  });

  it('ends a session idle for longer than the idle time, and any session past its maximum age', () => {
    const clock = new ManualClock();
    const sessions = new ConsoleSessions(clock);
    const idle = sessions.signIn(null, 'k1', 0);
    const busy = sessions.signIn(null, 'k2', 0);
    clock.at += IDLE_MS - 1000;
    expect(sessions.find(busy.id)).not.toBeNull();
    clock.at += 2000;
    expect(sessions.find(idle.id)).toBeNull();
    expect(sessions.find(busy.id)).not.toBeNull();
    for (let spent = 0; spent < MAX_AGE_MS; spent += IDLE_MS / 2) {
      clock.at += IDLE_MS / 2;
      sessions.find(busy.id);
    }
    expect(sessions.find(busy.id)).toBeNull();
  });

  it("matches a form's token only against its own session's", () => {
    const sessions = new ConsoleSessions(new ManualClock());
    const a = sessions.open();
    const b = sessions.open();
    expect(csrfMatches(a, a.csrf)).toBe(true);
    expect(csrfMatches(a, b.csrf)).toBe(false);
    expect(csrfMatches(a, undefined)).toBe(false);
    expect(csrfMatches(a, [a.csrf])).toBe(false);
    expect(csrfMatches(null, a.csrf)).toBe(false);
  });
});
