/** Wakes waiting subscriptions when this store commits, so they need not wait for the next poll. */
export class CommitSignal {
  private readonly listeners = new Set<() => void>();

  on(listener: () => void): void {
    this.listeners.add(listener);
  }

  off(listener: () => void): void {
    this.listeners.delete(listener);
  }

  notify(): void {
    // Listeners remove themselves while this runs; a Set tolerates deleting the entry being visited.
    for (const listener of this.listeners) listener();
  }
}
