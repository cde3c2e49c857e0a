/** Hospital-local calendar arithmetic on ISO dates (YYYY-MM-DD), independent of the machine's time zone. */

const DAY_MS = 86_400_000;

export function toDayNumber(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
}

export function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(iso: string, n: number): string {
  return fromDayNumber(toDayNumber(iso) + n);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(iso: string): number {
  return new Date(toDayNumber(iso) * DAY_MS).getUTCDay();
}

export function monthStart(iso: string): string {
  return `${iso.slice(0, 7)}-01`;
}

/** The same day-of-month `months` months away, clamped to that month's length (31 Mar − 1 month → 28/29 Feb). */
export function shiftMonths(iso: string, months: number): string {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7)) - 1 + months;
  const ty = y + Math.floor(m / 12);
  const tm = ((m % 12) + 12) % 12 + 1;
  const d = Math.min(Number(iso.slice(8, 10)), daysInMonth(ty, tm));
  return `${ty}-${String(tm).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const [y, m, d] = [Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))];
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}
