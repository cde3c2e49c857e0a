/**
 * CSV built in the browser (the budget lines' export) follows the server's rule (functions/api/export.ts; a test holds
 * both to the same corpus): text a spreadsheet would run as a formula is kept as text with a leading apostrophe.
 */
const FORMULA_START = /^[=+\-@\t\r\n]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

export const inertCsvText = (v: string): string => (FORMULA_START.test(v) && !PLAIN_NUMBER.test(v) ? `'${v}` : v);

/** One CSV cell: numbers as they are, text neutralised and quoted. */
export const csvCell = (v: string | number): string => (typeof v === 'number' ? String(v) : `"${inertCsvText(v).replaceAll('"', '""')}"`);
