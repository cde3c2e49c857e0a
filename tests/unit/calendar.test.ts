/** Calendar arithmetic on naive hospital-local dates, checked against a calendar by hand (2024 is a leap year, 2100 is not). */
import { describe, expect, it } from 'vitest';
import { addDays, daysInMonth, fromDayNumber, isIsoDate, monthStart, shiftMonths, toDayNumber, weekday } from '../../functions/domain/calendar.ts';

describe('calendar', () => {
  it('counts days across a leap day and a year end', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-28', 2)).toBe('2024-03-01');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(toDayNumber('2024-03-01') - toDayNumber('2024-02-01')).toBe(29);
    expect(fromDayNumber(toDayNumber('1999-12-31'))).toBe('1999-12-31');
  });
  it('knows month lengths, including century years', () => {
    expect([daysInMonth(2024, 2), daysInMonth(2025, 2), daysInMonth(2000, 2), daysInMonth(2100, 2), daysInMonth(2026, 4)]).toEqual([29, 28, 29, 28, 30]);
  });
  it('shifts months to the same day, clamped to the shorter month', () => {
    expect(shiftMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(shiftMonths('2024-02-29', -12)).toBe('2023-02-28');
    expect(shiftMonths('2025-01-15', -2)).toBe('2024-11-15');
    expect(shiftMonths('2025-11-30', 3)).toBe('2026-02-28');
    expect(monthStart('2026-12-03')).toBe('2026-12-01');
  });
  it('names weekdays (0 = Sunday) and refuses impossible dates', () => {
    expect(weekday('2026-12-03')).toBe(4); // a Thursday
    expect(weekday('2024-03-10')).toBe(0); // a Sunday
    expect(['2024-02-29', '2023-02-29', '2024-13-01', '2024-04-31', '24-01-01', '2024-1-01'].map(isIsoDate)).toEqual([true, false, false, false, false, false]);
  });
});
