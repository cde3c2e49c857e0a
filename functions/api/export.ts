/**
 * The one path every CSV answer takes: cells that a spreadsheet would run as a formula (`=HYPERLINK(…)`,
 * `=cmd|' /C calc'!A0`, `@SUM(…)`, `+…`, `-…`, or a leading tab or line break) are kept as text with a leading
 * apostrophe (OWASP's CSV-injection advice); plain numbers, negative ones included, stay numbers. XLSX text cells are
 * written as strings (`t="inlineStr"`), which Excel and WPS never evaluate, so the workbook needs no rewriting.
 */
import { csvLine, parseCsv } from '../lake/csv.ts';
import type { Cell } from './xlsx.ts';

const FORMULA_START = /^[=+\-@\t\r\n]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

export const inertText = (v: string): string => (FORMULA_START.test(v) && !PLAIN_NUMBER.test(v) ? `'${v}` : v);

/** Rows as CSV text; every text cell goes through `inertText`. */
export function csvDocument(rows: readonly (readonly Cell[])[]): string {
  return rows.map((r) => csvLine(r.map((v) => (v === null ? '' : typeof v === 'number' ? String(v) : inertText(v))))).join('');
}

/** A stored CSV (the quarantine keeps records as delivered) made safe to open: parsed and written again through `csvDocument`. */
export function inertCsv(text: string): string {
  return csvDocument([...parseCsv(text)].map((r) => r.fields));
}
