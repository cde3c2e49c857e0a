/** Kiosk helpers: the hospital's local time of day, and whether it falls in a window (dimming, quiet hour). */

/** HH:MM now in `timeZone`. */
export function localTime(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(now);
}

/** YYYY-MM-DD now in `timeZone`. */
export function localDate(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether `hhmm` falls in [from, to); over midnight when from > to (same rule as functions/domain/displays.ts). */
export function inWindow(hhmm: string, from: string, to: string): boolean {
  const t = minutes(hhmm);
  const a = minutes(from);
  const b = minutes(to);
  return a <= b ? t >= a && t < b : t >= a || t < b;
}

/** Burn-in protection: a slow walk of a few pixels, one step a minute, never more than 4 px from home. */
export const DRIFT: readonly (readonly [number, number])[] = [[0, 0], [2, 1], [4, 2], [2, 3], [0, 4], [-2, 3], [-4, 2], [-2, 1]];
