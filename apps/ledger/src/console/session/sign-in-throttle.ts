import { Injectable } from '@nestjs/common';
import { Clock } from '../../clock';

/** Failed sign-ins counted over this window. */
export const THROTTLE_WINDOW_MS = 15 * 60_000;
/** Failures allowed per key name in the window: a guessing attack on one name stops here. */
export const MAX_FAILURES_PER_NAME = 5;
/** Failures allowed per client address in the window: one address guessing many names stops here. */
export const MAX_FAILURES_PER_ADDRESS = 20;
const MAX_TRACKED = 50_000;

/**
 * Failed console sign-ins, per key name and per client address, in this process's memory. Once either has spent
 * its failures, every attempt (even with the right password) is refused until the oldest failure leaves the window.
 * Names are counted whether a key has them or not, so that being throttled tells nothing about which names exist.
 * An attempt counts as failed from before its password is checked until it signs in, so that attempts sent at once
 * cannot all be checked.
 */
@Injectable()
export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly clock: Clock) {}

  /** Milliseconds until an attempt for this name from this address may be tried; 0 when it may now. */
  waitMs(name: string, address: string): number {
    return Math.max(this.wait(`name:${name}`, MAX_FAILURES_PER_NAME), this.wait(`address:${address}`, MAX_FAILURES_PER_ADDRESS));
  }

  /** Counts a failure for this name and address; returns its time, by which `takeBack` finds it. */
  failed(name: string, address: string): number {
    const at = this.clock.now().getTime();
    for (const bucket of [`name:${name}`, `address:${address}`]) {
      const times = this.recent(bucket);
      times.push(at);
      this.failures.delete(bucket);
      this.failures.set(bucket, times);
    }
    while (this.failures.size > MAX_TRACKED) this.failures.delete(this.failures.keys().next().value as string);
    return at;
  }

  /** Takes back a failure counted (at the time `failed` returned) for an attempt that turned out not to be one. */
  takeBack(name: string, address: string, at: number): void {
    for (const bucket of [`name:${name}`, `address:${address}`]) {
      const times = this.failures.get(bucket);
      const index = times ? times.lastIndexOf(at) : -1;
      if (index >= 0) times?.splice(index, 1);
    }
  }

  private wait(bucket: string, allowed: number): number {
    const times = this.recent(bucket);
    if (times.length < allowed) return 0;
    return (times[times.length - allowed] as number) + THROTTLE_WINDOW_MS - this.clock.now().getTime();
  }

  private recent(bucket: string): number[] {
    const since = this.clock.now().getTime() - THROTTLE_WINDOW_MS;
    return (this.failures.get(bucket) ?? []).filter((at) => at > since);
  }
}
