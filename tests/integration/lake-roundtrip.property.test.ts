/**
 * Property: the validator and the lake agree. For files of arbitrary rows (valid-looking values, values at and past the
 * storage limits, and arbitrary text with quotes, commas, line breaks and control characters) over every column type:
 * - every row the validator accepts is written to Parquet by the real DuckDB writer and reads back unchanged;
 * - every row it refuses names a column of the table;
 * - the write never fails (a value the validator accepts but the lake cannot hold would stall the night).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../functions/adapters/duckdb.ts';
import type { ColumnSpec, TableSpec } from '../../functions/domain/contract.ts';
import { csvLine, parseCsv } from '../../functions/lake/csv.ts';
import { validateFile } from '../../functions/pipeline/validate-file.ts';

const COLUMNS: ColumnSpec[] = [
  { name: 'id', type: 'string', required: true, zh: '编号', en: 'Id' },
  { name: 'text', type: 'string', required: false, zh: '文本', en: 'Text' },
  { name: 'count', type: 'integer', required: false, zh: '计数', en: 'Count' },
  { name: 'amount', type: 'money', required: false, zh: '金额', en: 'Amount' },
  { name: 'weight', type: 'decimal', required: false, zh: '权重', en: 'Weight' },
  { name: 'day', type: 'date', required: false, zh: '日期', en: 'Day' },
  { name: 'month', type: 'month', required: false, zh: '月份', en: 'Month' },
  { name: 'seen_at', type: 'timestamp', required: false, zh: '时间', en: 'Time' },
  { name: 'flag', type: 'boolean', required: false, zh: '标志', en: 'Flag' },
];
const SPEC: TableSpec = { name: 'roundtrip', kind: 'reference', source: 'HIS', zh: '往返', en: 'Round trip', key: ['id'], columns: COLUMNS };

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const sign = fc.constantFrom('', '', '-', '+');
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const anyText = fc.string({ unit: 'binary', maxLength: 12 });
const hostile = fc.constantFrom('', ' ', '"', '""', ',', '\n', '\r\n', '=1+1', 'NULL', '\\N', 'nan', 'Infinity', '1e5', '0x1F', '１２', '1,000', '1,00', '.5', '5.', '-0', '00012');

const integerText = fc.oneof(
  fc.integer({ min: -3000, max: 3000 }).map(String),
  fc.tuple(sign, digits(1, 22)).map(([s, d]) => s + d),
  fc.constantFrom('2147483647', '2147483648', '-2147483648', '-2147483649', '3000000000', '12345678901234567890'),
);
const decimalText = (scale: number) => fc.oneof(
  fc.tuple(sign, digits(1, 19), fc.option(digits(1, scale + 3), { nil: undefined })).map(([s, i, f]) => (f === undefined ? s + i : `${s}${i}.${f}`)),
  fc.constantFrom('9999999999999999.99', '10000000000000000', '0.00001', '2.10005', '1.8000000', '-0.5'),
);
const dateText = fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 31 }), fc.constantFrom('-', '/'))
  .map(([y, m, d, sep]) => `${pad(y, 4)}${sep}${sep === '/' ? m : pad(m, 2)}${sep}${sep === '/' ? d : pad(d, 2)}`);
const timeText = fc.tuple(fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 60 }), fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }), fc.option(digits(1, 3), { nil: undefined }))
  .map(([h, m, s, ms]) => `${pad(h, 2)}:${pad(m, 2)}${s === undefined ? '' : `:${pad(s, 2)}${ms === undefined ? '' : `.${ms}`}`}`);

/** Mostly plausible values, so that whole rows pass often enough; now and then edge values, hostile text or arbitrary characters. */
const mostly = (good: fc.Arbitrary<string>, edge: fc.Arbitrary<string>) =>
  fc.oneof({ arbitrary: good, weight: 30 }, { arbitrary: edge, weight: 3 }, { arbitrary: hostile, weight: 1 }, { arbitrary: anyText, weight: 1 });
const goodDate = fc.tuple(fc.integer({ min: 1850, max: 2199 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })).map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`);
const goodTime = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 999 }))
  .map(([h, m, s, ms]) => `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(ms, 3)}`);
const field: Record<string, fc.Arbitrary<string>> = {
  text: fc.oneof(anyText, hostile, fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 30 })),
  count: mostly(fc.integer({ min: -3000, max: 3000 }).map(String), integerText),
  amount: mostly(fc.tuple(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), fc.integer({ min: 0, max: 99 })).map(([i, c]) => `${i}.${pad(c, 2)}`), decimalText(2)),
  weight: mostly(fc.integer({ min: 0, max: 1_000_000 }).map((n) => `${Math.floor(n / 10_000)}.${pad(n % 10_000, 4)}`), decimalText(4)),
  day: mostly(goodDate, dateText),
  month: mostly(goodDate.map((d) => d.slice(0, 7)), fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 })).map(([y, m]) => `${pad(y, 4)}-${pad(m, 2)}`)),
  seen_at: mostly(fc.tuple(goodDate, goodTime).map(([d, t]) => `${d} ${t}`), fc.tuple(dateText, fc.constantFrom(' ', 'T'), timeText).map(([d, s, t]) => d + s + t)),
  flag: mostly(fc.constantFrom('true', 'FALSE', '1', '0', 'y', 'N', '是', '否'), fc.constantFrom('yes', '2', 'T')),
};
const row = fc.record(field);

/** Decimal text in one form: no sign for zero, no leading or trailing zeros. */
function decimalForm(text: string): string {
  let t = text.replace(/^\+/, '');
  const negative = t.startsWith('-');
  if (negative) t = t.slice(1);
  let [i = '', f = ''] = t.split('.');
  i = i.replace(/^0+/, '') || '0';
  f = f.replace(/0+$/, '');
  const body = f ? `${i}.${f}` : i;
  return negative && body !== '0' ? `-${body}` : body;
}
const epochMs = (ts: string): number => Date.parse(`${ts.replace(' ', 'T')}${/:\d\d:\d\d/.test(ts) ? '' : ':00'}Z`);

/** The canonical text the validator produced, in the form DuckDB's VARCHAR cast gives back. */
function expected(col: ColumnSpec, canonical: string): string | number | null {
  if (canonical === '') return null;
  switch (col.type) {
    case 'money':
    case 'decimal':
      return decimalForm(canonical);
    case 'timestamp':
      return epochMs(canonical);
    default:
      return canonical;
  }
}
function readBack(col: ColumnSpec, v: unknown): string | number | null {
  if (v === null) return null;
  const text = String(v);
  switch (col.type) {
    case 'money':
    case 'decimal':
      return decimalForm(text);
    case 'timestamp':
      return epochMs(text);
    default:
      return text;
  }
}

let engine: DuckDbEngine;
let dir: string;
beforeAll(async () => {
  engine = await DuckDbEngine.open({ threads: 1 });
  dir = mkdtempSync(join(tmpdir(), 'opsdeck-roundtrip-'));
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('validator and lake agree (property-based, fast-check)', () => {
  it('every accepted row reads back unchanged from Parquet; every refused row names its field', { timeout: 120_000 }, async () => {
    let run = 0;
    let acceptedTotal = 0;
    let rejectedTotal = 0;
    await fc.assert(fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 25 }), async (rows) => {
      run++;
      const header = COLUMNS.map((c) => c.name);
      const text = csvLine(header) + rows.map((r, i) => csvLine([`R${i}`, ...COLUMNS.slice(1).map((c) => r[c.name]!)])).join('');
      const outcome = validateFile(SPEC, '2026-03-10', { key: 'landing/roundtrip/dt=2026-03-10/r.csv', bytes: new TextEncoder().encode(text), modifiedAt: '2026-03-11T00:00:00Z' });
      const names = new Set(header);
      for (const reject of [...parseCsv(outcome.rejects.join(''))]) expect(names.has(reject.fields[2]!), `refused without naming a column: ${reject.fields.join(' | ')}`).toBe(true);
      expect(outcome.report.rowsRead).toBe(rows.length);
      expect(outcome.report.accepted + outcome.report.rejected).toBe(rows.length);
      acceptedTotal += outcome.report.accepted;
      rejectedTotal += outcome.report.rejected;
      if (outcome.rows.size === 0) return;

      const csvPath = join(dir, `clean-${run}.csv`);
      const parquetPath = join(dir, `part-${run}.parquet`);
      writeFileSync(csvPath, csvLine(header) + [...outcome.rows.values()].join(''));
      const written = await engine.writeParquet({ csvPath, columns: COLUMNS, parquetPath });
      expect(written.rows).toBe(outcome.rows.size);
      const select = COLUMNS.map((c) => `CAST(${c.name} AS VARCHAR) AS ${c.name}`).join(', ');
      const { rows: back } = await engine.query(`SELECT ${select} FROM read_parquet('${parquetPath}')`);
      const byId = new Map(back.map((r) => [r.id as string, r]));
      for (const line of outcome.rows.values()) {
        const values = [...parseCsv(line)][0]!.fields;
        const stored = byId.get(values[0]!);
        expect(stored, `row ${values[0]} missing from Parquet`).toBeDefined();
        for (const [i, col] of COLUMNS.entries()) {
          expect(readBack(col, stored![col.name]), `${values[0]}.${col.name}: accepted "${values[i]}"`).toEqual(expected(col, values[i]!));
        }
      }
    }), { numRuns: 100, seed: 20261203 });
    // The generators reach both sides of the validator.
    expect(acceptedTotal).toBeGreaterThan(20);
    expect(rejectedTotal).toBeGreaterThan(100);
  });
});
