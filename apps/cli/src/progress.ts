/** One line on stderr that redraws itself: bar, counts, rate and time left. Off a terminal, only the last line. */
export class ProgressLine {
  private readonly started = Date.now();
  private last = '';

  constructor(private readonly label: string, private readonly out: NodeJS.WriteStream = process.stderr) {}

  update(done: number, total: number): void {
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    const rate = done / seconds;
    const share = total > 0 ? Math.min(done / total, 1) : 1;
    const width = 30;
    const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '.');
    const left = rate > 0 ? Math.max(total - done, 0) / rate : 0;
    const line = `${this.label} [${bar}] ${Math.round(share * 100)}% ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ` +
      `${Math.round(rate).toLocaleString('en-US')}/s ETA ${formatSeconds(left)}`;
    this.last = line;
    if (this.out.isTTY) this.out.write(`\r${line}`);
  }

  finish(): void {
    if (this.out.isTTY) this.out.write('\n');
    else if (this.last) this.out.write(`${this.last}\n`);
  }
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}
