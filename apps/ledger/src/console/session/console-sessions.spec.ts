import { Clock } from '../../clock';
import { ConsoleSessions, IDLE_MS, MAX_AGE_MS, MAX_SESSIONS, csrfMatches } from './console-sessions';

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

  // Anonymous requests for the sign-in page once shared the pool with signed-in sessions: 20,100 of them signed
  // everyone out.
  it('keeps signed-in sessions however many sign-in forms are opened, dropping the oldest forms', () => {
    const sessions = new ConsoleSessions(new ManualClock());
    const official = sessions.signIn(null, 'k1', 0);
    const firstForm = sessions.open();
    let lastForm = firstForm;
    for (let i = 0; i < MAX_SESSIONS + 100; i++) lastForm = sessions.open();
    expect(sessions.find(official.id)?.signedIn).toEqual({ keyId: 'k1', passwordRevision: 0 });
    expect(sessions.find(firstForm.id)).toBeNull();
    expect(sessions.find(lastForm.id)).not.toBeNull();
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
