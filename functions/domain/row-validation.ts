/**
 * Row validation compiled from the data contract. Produces canonical values (ISO dates, plain decimals)
 * for the clean file the lake is written from, or the reasons a row is rejected, in zh-CN and English.
 */
import type { ColumnSpec, TableSpec } from './contract.ts';

export interface FieldProblem {
  field: string;
  zh: string;
  en: string;
}

export type RowOutcome = { ok: true; values: string[] } | { ok: false; problems: FieldProblem[] };

export interface HeaderProblem {
  missing: string[];
  unexpected: string[];
}

const DATE_RE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;
const INT_RE = /^-?\d+$/;
const DECIMAL_RE = /^-?\d+(\.\d+)?$/;
const MONEY_RE = /^-?\d+(\.\d{1,2})?$/;
const TIMESTAMP_RE = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?)$/;

export function isValidIsoDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

function normaliseDate(raw: string): string | undefined {
  const m = DATE_RE.exec(raw);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isValidIsoDate(y, mo, d)) return undefined;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Checks that a file's header names exactly the contract's columns (any order). */
export function checkHeader(spec: TableSpec, header: readonly string[]): HeaderProblem | undefined {
  const expected = new Set(spec.columns.map((c) => c.name));
  const seen = new Set(header.map((h) => h.trim()));
  const missing = spec.columns.filter((c) => !seen.has(c.name)).map((c) => c.name);
  const unexpected = [...seen].filter((h) => !expected.has(h));
  return missing.length || unexpected.length ? { missing, unexpected } : undefined;
}

type Check = (raw: string) => { value: string } | FieldProblem;

function problem(col: ColumnSpec, zh: string, en: string): FieldProblem {
  return { field: col.name, zh: `字段 ${col.name}（${col.zh}）${zh}`, en: `field ${col.name} (${col.en}) ${en}` };
}

function rangeCheck(col: ColumnSpec, n: number, text: string): { value: string } | FieldProblem {
  if (col.min !== undefined && n < col.min) return problem(col, `不应小于 ${col.min}，实际为 ${text}`, `must be at least ${col.min}, got ${text}`);
  if (col.max !== undefined && n > col.max) return problem(col, `不应大于 ${col.max}，实际为 ${text}`, `must be at most ${col.max}, got ${text}`);
  return { value: text };
}

function compileColumn(col: ColumnSpec): Check {
  switch (col.type) {
    case 'string':
      if (col.allowed) {
        const allowed = new Set(col.allowed);
        return (raw) => (allowed.has(raw) ? { value: raw } : problem(col, `取值“${raw}”不在允许范围：${col.allowed!.join('/')}`, `value "${raw}" is not one of ${col.allowed!.join(', ')}`));
      }
      return (raw) => ({ value: raw });
    case 'integer':
      return (raw) => (INT_RE.test(raw) ? rangeCheck(col, Number(raw), String(Number(raw))) : problem(col, `应为整数，实际为“${raw}”`, `must be a whole number, got "${raw}"`));
    case 'decimal':
      return (raw) => (DECIMAL_RE.test(raw) ? rangeCheck(col, Number(raw), raw) : problem(col, `应为数字，实际为“${raw}”`, `must be a number, got "${raw}"`));
    case 'money':
      return (raw) => (MONEY_RE.test(raw) ? rangeCheck(col, Number(raw), raw) : problem(col, `应为金额（元，最多两位小数），实际为“${raw}”`, `must be an amount in yuan with at most two decimals, got "${raw}"`));
    case 'date':
      return (raw) => {
        const iso = normaliseDate(raw);
        return iso ? { value: iso } : problem(col, `应为日期 YYYY-MM-DD，实际为“${raw}”`, `must be a date YYYY-MM-DD, got "${raw}"`);
      };
    case 'month':
      return (raw) => {
        const m = MONTH_RE.exec(raw);
        return m && Number(m[2]) >= 1 && Number(m[2]) <= 12 ? { value: raw } : problem(col, `应为月份 YYYY-MM，实际为“${raw}”`, `must be a month YYYY-MM, got "${raw}"`);
      };
    case 'timestamp':
      return (raw) => {
        const m = TIMESTAMP_RE.exec(raw);
        return m && normaliseDate(m[1]!) ? { value: `${m[1]} ${m[2]}` } : problem(col, `应为时间 YYYY-MM-DD HH:MM:SS，实际为“${raw}”`, `must be a timestamp YYYY-MM-DD HH:MM:SS, got "${raw}"`);
      };
    case 'boolean':
      return (raw) => {
        const v = raw.toLowerCase();
        if (v === 'true' || v === '1' || v === 'y' || v === '是') return { value: 'true' };
        if (v === 'false' || v === '0' || v === 'n' || v === '否') return { value: 'false' };
        return problem(col, `应为是/否（true/false），实际为“${raw}”`, `must be true or false, got "${raw}"`);
      };
  }
}

const toCents = (v: string): number => Math.round(Number(v) * 100);

/**
 * Compiles a validator for one table and one delivery night (`dt`, YYYY-MM-DD).
 * `header` is the file's header row; rows are matched to columns by name.
 */
export function compileRowValidator(spec: TableSpec, header: readonly string[], dt: string) {
  const positions = spec.columns.map((c) => header.findIndex((h) => h.trim() === c.name));
  const checks = spec.columns.map(compileColumn);
  const index = new Map(spec.columns.map((c, i) => [c.name, i]));
  const dateIdx = spec.dateColumn ? index.get(spec.dateColumn) : undefined;
  const dateCol = dateIdx === undefined ? undefined : spec.columns[dateIdx];
  const expectedDate = spec.kind === 'monthly' ? dt.slice(0, 7) : dt;
  const feeParts = spec.feeSum?.parts.map((p) => index.get(p)!);
  const feeTotal = spec.feeSum ? index.get(spec.feeSum.total)! : undefined;

  return (fields: readonly string[]): RowOutcome => {
    const problems: FieldProblem[] = [];
    if (fields.length !== header.length) {
      return { ok: false, problems: [{ field: '*', zh: `列数应为 ${header.length}，实际为 ${fields.length}`, en: `expected ${header.length} fields, got ${fields.length}` }] };
    }
    const values = new Array<string>(spec.columns.length);
    for (let i = 0; i < spec.columns.length; i++) {
      const col = spec.columns[i]!;
      const raw = (fields[positions[i]!] ?? '').trim();
      if (raw === '') {
        if (col.required) problems.push(problem(col, '为必填项，但为空', 'is required but empty'));
        values[i] = '';
        continue;
      }
      const r = checks[i]!(raw);
      if ('value' in r) values[i] = r.value;
      else problems.push(r);
    }
    if (dateCol && dateIdx !== undefined && values[dateIdx] && values[dateIdx].slice(0, expectedDate.length) !== expectedDate) {
      problems.push(problem(dateCol, `为 ${values[dateIdx]}，不属于本批次 ${expectedDate}（更正数据请投递到对应日期的目录）`,
        `is ${values[dateIdx]}, outside this delivery's ${spec.kind === 'monthly' ? 'month' : 'night'} ${expectedDate} (deliver corrections into that date's folder)`));
    }
    if (feeParts && feeTotal !== undefined && problems.length === 0) {
      const sum = feeParts.reduce((s, i) => s + toCents(values[i]!), 0);
      const total = toCents(values[feeTotal]!);
      if (sum !== total) {
        const col = spec.columns[feeTotal]!;
        problems.push(problem(col, `为 ${values[feeTotal]}，与分项费用之和 ${(sum / 100).toFixed(2)} 不符`, `is ${values[feeTotal]} but the fee categories add up to ${(sum / 100).toFixed(2)}`));
      }
    }
    return problems.length ? { ok: false, problems } : { ok: true, values };
  };
}

/** The primary-key string of a validated row, for last-delivery-wins de-duplication. */
export function compileRowKey(spec: TableSpec): (values: readonly string[]) => string {
  const idx = spec.key.map((k) => spec.columns.findIndex((c) => c.name === k));
  return (values) => idx.map((i) => values[i]).join('\u0001');
}
