/** The browser's CSV cells follow the server's rule: text a spreadsheet would run stays text. */
import { describe, expect, it } from 'vitest';
import { csvCell, inertCsvText } from './csv';

describe('csv cells', () => {
  it('neutralises formulas but keeps signed numbers as numbers', () => {
    expect(inertCsvText('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(inertCsvText('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(inertCsvText('-12.5')).toBe('-12.5');
    expect(inertCsvText('+3')).toBe('+3');
    expect(inertCsvText('心内科')).toBe('心内科');
  });
  it('quotes text, doubles its quotes, and leaves numbers bare', () => {
    expect(csvCell('a "b", c')).toBe('"a ""b"", c"');
    expect(csvCell(-0.5)).toBe('-0.5');
  });
});
