/**
 * Row validation compiled from the data contract. Produces canonical values (ISO dates, plain decimals)
 * for the clean file the lake is written from, or the reasons a row is rejected, in zh-CN and English.
 */
import { toDayNumber } from './calendar.ts';
import type { ColumnSpec, RowCheck, TableSpec } from './contract.ts';

/** Why a row (or a whole file) was rejected: stable codes for counting, with the message in zh-CN and English. */
export const REASON_CODES = {
  field_count: { zh: '列数不符', en: 'wrong number of fields' },
  required: { zh: '必填项为空', en: 'required field empty' },
  not_allowed: { zh: '取值不在允许范围', en: 'value not allowed' },
  bad_integer: { zh: '不是整数', en: 'not a whole number' },
  bad_number: { zh: '不是数字', en: 'not a number' },
  bad_money: { zh: '不是金额', en: 'not an amount' },
  bad_date: { zh: '日期无效', en: 'invalid date' },
  bad_month: { zh: '月份无效', en: 'invalid month' },
  bad_timestamp: { zh: '时间无效', en: 'invalid timestamp' },
  bad_boolean: { zh: '不是是/否', en: 'not true/false' },
  below_min: { zh: '小于下限', en: 'below minimum' },
  above_max: { zh: '大于上限', en: 'above maximum' },
  outside_night: { zh: '日期不属于本批次', en: 'date outside the night' },
  fee_sum: { zh: '费用分项之和不符', en: 'fee categories do not add up' },
  amount_mismatch: { zh: '金额≠数量×单价', en: 'amount ≠ quantity × price' },
  negative_not_refund: { zh: '负数量但不是退费', en: 'negative quantity that is not a refund' },
  date_order: { zh: '日期先后颠倒', en: 'dates out of order' },
  day_span: { zh: '住院天数与日期不符', en: 'length of stay does not match the dates' },
  unknown_reference: { zh: '引用的编码不存在', en: 'unknown code' },
  file_empty: { zh: '空文件', en: 'empty file' },
  file_encoding: { zh: '编码无法识别', en: 'undecodable file' },
  file_header: { zh: '表头不符', en: 'wrong header' },
  file_syntax: { zh: 'CSV 格式损坏', en: 'broken CSV' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type ReasonCode = keyof typeof REASON_CODES;

export interface FieldProblem {
  field: string;
  code: ReasonCode;
  zh: string;
  en: string;
}

/** The key values of a reference table as of a night, or undefined when that table has never been delivered. */
export type ReferenceLookup = (table: string, column: string) => ReadonlySet<string> | undefined;

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
/** Excel's "1,234,567.89": accepted when the groups are exactly three digits, and stored without the separators. */
const GROUPED_RE = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/;
const ungroup = (raw: string): string => (GROUPED_RE.test(raw) ? raw.replaceAll(',', '') : raw);
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

function problem(col: ColumnSpec, code: ReasonCode, zh: string, en: string): FieldProblem {
  return { field: col.name, code, zh: `字段 ${col.name}（${col.zh}）${zh}`, en: `field ${col.name} (${col.en}) ${en}` };
}

function rangeCheck(col: ColumnSpec, n: number, text: string): { value: string } | FieldProblem {
  if (col.min !== undefined && n < col.min) return problem(col, 'below_min', `不应小于 ${col.min}，实际为 ${text}`, `must be at least ${col.min}, got ${text}`);
  if (col.max !== undefined && n > col.max) return problem(col, 'above_max', `不应大于 ${col.max}，实际为 ${text}`, `must be at most ${col.max}, got ${text}`);
  return { value: text };
}

/** Numbers are checked on their ungrouped text; `canonical` strips a leading "+" and redundant zeros the engine would drop anyway. */
function numberCheck(col: ColumnSpec, re: RegExp, code: ReasonCode, zh: string, en: string): Check {
  return (raw) => {
    const text = ungroup(raw);
    return re.test(text) ? rangeCheck(col, Number(text), col.type === 'integer' ? String(Number(text)) : text) : problem(col, code, `${zh}，实际为“${raw}”`, `${en}, got "${raw}"`);
  };
}

function compileColumn(col: ColumnSpec): Check {
  switch (col.type) {
    case 'string':
      if (col.allowed) {
        const allowed = new Set(col.allowed);
        return (raw) => (allowed.has(raw) ? { value: raw } : problem(col, 'not_allowed', `取值“${raw}”不在允许范围：${col.allowed!.join('/')}`, `value "${raw}" is not one of ${col.allowed!.join(', ')}`));
      }
      return (raw) => ({ value: raw });
    case 'integer':
      return numberCheck(col, INT_RE, 'bad_integer', '应为整数', 'must be a whole number');
    case 'decimal':
      return numberCheck(col, DECIMAL_RE, 'bad_number', '应为数字', 'must be a number');
    case 'money':
      return numberCheck(col, MONEY_RE, 'bad_money', '应为金额（元，最多两位小数）', 'must be an amount in yuan with at most two decimals');
    case 'date':
      return (raw) => {
        const iso = normaliseDate(raw);
        return iso ? { value: iso } : problem(col, 'bad_date', `应为日期 YYYY-MM-DD，实际为“${raw}”`, `must be a date YYYY-MM-DD, got "${raw}"`);
      };
    case 'month':
      return (raw) => {
        const m = MONTH_RE.exec(raw);
        return m && Number(m[2]) >= 1 && Number(m[2]) <= 12 ? { value: raw } : problem(col, 'bad_month', `应为月份 YYYY-MM，实际为“${raw}”`, `must be a month YYYY-MM, got "${raw}"`);
      };
    case 'timestamp':
      return (raw) => {
        const m = TIMESTAMP_RE.exec(raw);
        return m && normaliseDate(m[1]!) ? { value: `${m[1]} ${m[2]}` } : problem(col, 'bad_timestamp', `应为时间 YYYY-MM-DD HH:MM:SS，实际为“${raw}”`, `must be a timestamp YYYY-MM-DD HH:MM:SS, got "${raw}"`);
      };
    case 'boolean':
      return (raw) => {
        const v = raw.toLowerCase();
        if (v === 'true' || v === '1' || v === 'y' || v === '是') return { value: 'true' };
        if (v === 'false' || v === '0' || v === 'n' || v === '否') return { value: 'false' };
        return problem(col, 'bad_boolean', `应为是/否（true/false），实际为“${raw}”`, `must be true or false, got "${raw}"`);
      };
  }
}

const toCents = (v: string): number => Math.round(Number(v) * 100);

/** A row check compiled against column positions; returns the problem or undefined. */
type CompiledCheck = (values: readonly string[]) => FieldProblem | undefined;

function compileCheck(spec: TableSpec, check: RowCheck, index: ReadonlyMap<string, number>): CompiledCheck {
  const at = (name: string): [number, ColumnSpec] => {
    const i = index.get(name);
    if (i === undefined) throw new Error(`contract check on ${spec.name} names unknown column ${name}`);
    return [i, spec.columns[i]!];
  };
  switch (check.kind) {
    case 'product': {
      const [ti, tcol] = at(check.total);
      const [qi, qcol] = at(check.factors[0]);
      const [pi] = at(check.factors[1]);
      return (v) => {
        if (!v[ti] || !v[qi] || !v[pi]) return undefined;
        const quantity = Number(v[qi]);
        const amount = toCents(v[ti]);
        if (quantity < 0 && amount >= 0) {
          return problem(qcol, 'negative_not_refund', `为负数 ${v[qi]}，但金额 ${v[ti]} 不是退费（退费的数量和金额都应为负）`,
            `is negative (${v[qi]}) but the amount ${v[ti]} is not a refund (a refund has a negative quantity and a negative amount)`);
        }
        // Cents of price × quantity, rounded half away from zero; one cent of tolerance for the source's own rounding.
        const expected = Math.round(toCents(v[pi]) * Math.abs(quantity)) * Math.sign(quantity);
        if (Math.abs(expected - amount) > 1) {
          return problem(tcol, 'amount_mismatch', `为 ${v[ti]}，与数量 × 单价 = ${(expected / 100).toFixed(2)} 不符`, `is ${v[ti]} but quantity × unit price = ${(expected / 100).toFixed(2)}`);
        }
        return undefined;
      };
    }
    case 'date_order': {
      const [fi, fcol] = at(check.first);
      const [si, scol] = at(check.second);
      return (v) => (v[fi] && v[si] && v[fi] > v[si]
        ? problem(fcol, 'date_order', `为 ${v[fi]}，晚于${scol.zh} ${v[si]}`, `is ${v[fi]}, after the ${scol.en.toLowerCase()} ${v[si]}`)
        : undefined);
    }
    case 'day_span': {
      const [fi] = at(check.from);
      const [ti] = at(check.to);
      const [di, dcol] = at(check.days);
      return (v) => {
        if (!v[fi] || !v[ti] || !v[di]) return undefined;
        const span = toDayNumber(v[ti]) - toDayNumber(v[fi]);
        const days = Number(v[di]);
        if (days === span || (span === 0 && days === 1)) return undefined;
        return problem(dcol, 'day_span', `为 ${days}，与 ${v[fi]} 至 ${v[ti]} 的 ${span} 天不符`, `is ${days}, but ${v[fi]} to ${v[ti]} is ${span} days`);
      };
    }
  }
}

/**
 * Compiles a validator for one table and one delivery night (`dt`, YYYY-MM-DD).
 * `header` is the file's header row; rows are matched to columns by name.
 * `references` answers the known codes of reference tables as of the night; a table never delivered is not checked.
 */
export function compileRowValidator(spec: TableSpec, header: readonly string[], dt: string, references?: ReferenceLookup) {
  const positions = spec.columns.map((c) => header.findIndex((h) => h.trim() === c.name));
  const checks = spec.columns.map(compileColumn);
  const index = new Map(spec.columns.map((c, i) => [c.name, i]));
  const dateIdx = spec.dateColumn ? index.get(spec.dateColumn) : undefined;
  const dateCol = dateIdx === undefined ? undefined : spec.columns[dateIdx];
  const expectedDate = spec.kind === 'monthly' ? dt.slice(0, 7) : dt;
  const feeParts = spec.feeSum?.parts.map((p) => index.get(p)!);
  const feeTotal = spec.feeSum ? index.get(spec.feeSum.total)! : undefined;
  const rowChecks = (spec.checks ?? []).map((c) => compileCheck(spec, c, index));
  const refChecks = spec.columns.flatMap((col, i) => {
    const known = col.references ? references?.(col.references.table, col.references.column) : undefined;
    return known && col.references ? [{ i, col, known, table: col.references.table }] : [];
  });

  return (fields: readonly string[]): RowOutcome => {
    const problems: FieldProblem[] = [];
    if (fields.length !== header.length) {
      return { ok: false, problems: [{ field: '*', code: 'field_count', zh: `列数应为 ${header.length}，实际为 ${fields.length}`, en: `expected ${header.length} fields, got ${fields.length}` }] };
    }
    const values = new Array<string>(spec.columns.length);
    for (let i = 0; i < spec.columns.length; i++) {
      const col = spec.columns[i]!;
      const raw = (fields[positions[i]!] ?? '').trim();
      if (raw === '') {
        if (col.required) problems.push(problem(col, 'required', '为必填项，但为空', 'is required but empty'));
        values[i] = '';
        continue;
      }
      const r = checks[i]!(raw);
      if ('value' in r) values[i] = r.value;
      else problems.push(r);
    }
    if (dateCol && dateIdx !== undefined && values[dateIdx] && values[dateIdx].slice(0, expectedDate.length) !== expectedDate) {
      problems.push(problem(dateCol, 'outside_night', `为 ${values[dateIdx]}，不属于本批次 ${expectedDate}（更正数据请投递到对应日期的目录）`,
        `is ${values[dateIdx]}, outside this delivery's ${spec.kind === 'monthly' ? 'month' : 'night'} ${expectedDate} (deliver corrections into that date's folder)`));
    }
    for (const { i, col, known, table } of refChecks) {
      const v = values[i];
      if (v && !known.has(v)) {
        problems.push(problem(col, 'unknown_reference', `的编码“${v}”在参考表 ${table} 中不存在`, `has code "${v}", which is not in the reference table ${table}`));
      }
    }
    if (problems.length) return { ok: false, problems };
    if (feeParts && feeTotal !== undefined) {
      const sum = feeParts.reduce((s, i) => s + toCents(values[i]!), 0);
      const total = toCents(values[feeTotal]!);
      if (sum !== total) {
        const col = spec.columns[feeTotal]!;
        problems.push(problem(col, 'fee_sum', `为 ${values[feeTotal]}，与分项费用之和 ${(sum / 100).toFixed(2)} 不符`, `is ${values[feeTotal]} but the fee categories add up to ${(sum / 100).toFixed(2)}`));
      }
    }
    for (const check of rowChecks) {
      const p = check(values);
      if (p) problems.push(p);
    }
    return problems.length ? { ok: false, problems } : { ok: true, values };
  };
}

/** The primary-key string of a validated row, for last-delivery-wins de-duplication. */
export function compileRowKey(spec: TableSpec): (values: readonly string[]) => string {
  const idx = spec.key.map((k) => spec.columns.findIndex((c) => c.name === k));
  return (values) => idx.map((i) => values[i]).join('\u0001');
}
