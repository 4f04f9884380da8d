import { Clock } from '../../clock';
import { MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_NAME, SignInThrottle, THROTTLE_WINDOW_MS } from './sign-in-throttle';

class ManualClock extends Clock {
  at = Date.parse('2026-11-25T09:00:00Z');
  override now(): Date {
    return new Date(this.at);
  }
}

describe('SignInThrottle', () => {
  it('stops a name after its failures until the oldest leaves the window, whatever the address', () => {
    const clock = new ManualClock();
    const throttle = new SignInThrottle(clock);
    for (let i = 0; i < MAX_FAILURES_PER_NAME; i++) {
      expect(throttle.waitMs('hr-director', `10.0.0.${i}`)).toBe(0);
      throttle.failed('hr-director', `10.0.0.${i}`);
      clock.at += 60_000;
    }
    expect(throttle.waitMs('hr-director', '10.0.0.99')).toBe(THROTTLE_WINDOW_MS - MAX_FAILURES_PER_NAME * 60_000);
    expect(throttle.waitMs('auditor-1', '10.0.0.99')).toBe(0);
    clock.at += THROTTLE_WINDOW_MS - MAX_FAILURES_PER_NAME * 60_000;
    expect(throttle.waitMs('hr-director', '10.0.0.99')).toBe(0);
  });

  it('stops an address that tries many names', () => {
    const throttle = new SignInThrottle(new ManualClock());
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) throttle.failed(`name-${i}`, '192.0.2.7');
    expect(throttle.waitMs('a-new-name', '192.0.2.7')).toBe(THROTTLE_WINDOW_MS);
    expect(throttle.waitMs('a-new-name', '192.0.2.8')).toBe(0);
  });

  it('takes back the failure counted for an attempt that signed in, and only that one', () => {
    const clock = new ManualClock();
    const throttle = new SignInThrottle(clock);
    const first = throttle.failed('hr-director', '192.0.2.7');
    clock.at += 60_000;
    for (let i = 1; i < MAX_FAILURES_PER_NAME; i++) throttle.failed('hr-director', '192.0.2.7');
    expect(throttle.waitMs('hr-director', '192.0.2.8')).toBe(THROTTLE_WINDOW_MS - 60_000);
    throttle.takeBack('hr-director', '192.0.2.7', first);
    expect(throttle.waitMs('hr-director', '192.0.2.8')).toBe(0);
    throttle.failed('hr-director', '192.0.2.7');
    expect(throttle.waitMs('hr-director', '192.0.2.8')).toBe(THROTTLE_WINDOW_MS);
  });
});
