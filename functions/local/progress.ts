/** A progress line with rate and ETA for long CLI steps (a bar on a terminal, a line every 10% otherwise). */

const fmtSeconds = (s: number): string => (s >= 90 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(0)}s`);

export class Progress {
  private readonly started = performance.now();
  private lastPrint = 0;
  private lastDecile = -1;
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(private readonly label: string, private readonly total: number, private readonly unit: string) {}

  update(done: number, extra = ''): void {
    const now = performance.now();
    const decile = Math.floor((done / Math.max(1, this.total)) * 10);
    if (this.tty ? now - this.lastPrint < 100 && done < this.total : decile === this.lastDecile && done < this.total) return;
    this.lastPrint = now;
    this.lastDecile = decile;
    const elapsed = (now - this.started) / 1000;
    const rate = done / Math.max(elapsed, 0.001);
    const eta = rate > 0 ? (this.total - done) / rate : 0;
    const pct = Math.min(100, (done / Math.max(1, this.total)) * 100);
    const width = 24;
    const bar = '█'.repeat(Math.round((pct / 100) * width)).padEnd(width, '░');
    const line = `${this.label} ${bar} ${pct.toFixed(0).padStart(3)}% ${done}/${this.total} ${this.unit} · ${rate.toFixed(1)} ${this.unit}/s · ETA ${fmtSeconds(eta)}${extra ? ' · ' + extra : ''}`;
    if (this.tty) process.stderr.write(`\r\x1b[2K${line}`);
    else process.stderr.write(`${line}\n`);
  }

  finish(summary: string): void {
    const elapsed = (performance.now() - this.started) / 1000;
    if (this.tty) process.stderr.write('\r\x1b[2K');
    process.stderr.write(`${this.label} ✓ ${summary} (${fmtSeconds(elapsed)})\n`);
  }
}
