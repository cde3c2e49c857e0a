/** The wall clock, with "today" in the hospital's time zone (default Asia/Shanghai). */
import type { Clock } from '../ports.ts';

export class SystemClock implements Clock {
  private readonly dateFormat: Intl.DateTimeFormat;

  constructor(readonly timeZone = 'Asia/Shanghai') {
    this.dateFormat = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  now(): Date {
    return new Date();
  }

  today(): string {
    return this.dateFormat.format(this.now());
  }
}
