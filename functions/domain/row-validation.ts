/**
 * Row validation compiled from the data contract. Produces canonical values (ISO dates, plain decimals)
 * for the clean file the lake is written from, or the reasons a row is rejected, in zh-CN and English.
 */
import { toDayNumber } from './calendar.ts';
import { COLUMN_STORAGE, type ColumnSpec, type RowCheck, type TableSpec } from './contract.ts';

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
  out_of_storage: { zh: '超出可存储范围', en: 'beyond what the lake can store' },
  too_precise: { zh: '小数位数超过可存储位数', en: 'more decimals than the lake stores' },
  control_char: { zh: '含有控制字符', en: 'contains a control character' },
  stray_quote: { zh: '引号位置不合 CSV 规范', en: 'misplaced quote' },
  record_too_long: { zh: '记录过长', en: 'record too long' },
  unterminated: { zh: '最后一行没有换行结尾', en: 'last line not terminated' },
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
  file_unreadable: { zh: '不是可读取的普通文件', en: 'not a readable regular file' },
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
  /** Names given more than once (the second copy would otherwise be silently ignored). */
  duplicate: string[];
  /** 1-based positions of columns without a name (often a trailing comma). */
  empty: number[];
}

/** C0 controls other than tab, line feed and carriage return, and DEL: never part of a hospital extract's value. */
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** Years a hospital extract's dates can hold (birth dates included); year 0 and far futures are typing errors, and the engines disagree on them. */
export const YEARS = { min: 1850, max: 2199 } as const;
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
  if (!isValidIsoDate(y, mo, d) || y < YEARS.min || y > YEARS.max) return undefined;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Checks that a file's header names exactly the contract's columns (any order), each once. */
export function checkHeader(spec: TableSpec, header: readonly string[]): HeaderProblem | undefined {
  const expected = new Set(spec.columns.map((c) => c.name));
  const names = header.map((h) => h.trim());
  const seen = new Set<string>();
  const duplicate = new Set<string>();
  const empty: number[] = [];
  names.forEach((h, i) => {
    if (h === '') empty.push(i + 1);
    else if (seen.has(h)) duplicate.add(h);
    else seen.add(h);
  });
  const missing = spec.columns.filter((c) => !seen.has(c.name)).map((c) => c.name);
  const unexpected = [...seen].filter((h) => !expected.has(h));
  return missing.length || unexpected.length || duplicate.size || empty.length ? { missing, unexpected, duplicate: [...duplicate], empty } : undefined;
}

/** A list for a message: at most `most` items, then how many more (a million-column header must not make a 17 MB report). */
export function listBrief(items: readonly (string | number)[], most = 20): { zh: string; en: string } {
  const shown = items.slice(0, most).map((x) => (typeof x === 'string' && x.length > 60 ? `${x.slice(0, 60)}…` : String(x))).join(', ');
  const more = items.length - Math.min(items.length, most);
  return more > 0 ? { zh: `${shown} 等共 ${items.length} 个`, en: `${shown} and ${more} more` } : { zh: shown, en: shown };
}

/** The header problem as one sentence per kind, in zh-CN and English. */
export function describeHeaderProblem(table: string, p: HeaderProblem): { zh: string; en: string } {
  const zh: string[] = [];
  const en: string[] = [];
  if (p.missing.length) { const l = listBrief(p.missing); zh.push(`缺少 [${l.zh}]`); en.push(`missing [${l.en}]`); }
  if (p.unexpected.length) { const l = listBrief(p.unexpected); zh.push(`多出 [${l.zh}]`); en.push(`unexpected [${l.en}]`); }
  if (p.duplicate.length) { const l = listBrief(p.duplicate); zh.push(`重复 [${l.zh}]`); en.push(`given twice [${l.en}]`); }
  if (p.empty.length) { const l = listBrief(p.empty); zh.push(`第 [${l.zh}] 列没有列名（行尾多了逗号？）`); en.push(`no name for column(s) [${l.en}] (a trailing comma?)`); }
  return { zh: `表头与数据契约 ${table} 不符：${zh.join('，')}`, en: `header does not match contract table ${table}: ${en.join(', ')}` };
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

/** Digits before the point, without sign and leading zeros. */
const integerDigits = (text: string): number => text.replace(/^-/, '').split('.')[0]!.replace(/^0+/, '').length;

/**
 * Numbers are checked on their ungrouped text against the column's storage (see COLUMN_STORAGE: a value the lake cannot
 * hold is a row-level reject, never a failed night) and then its contract range; `canonical` strips a leading "+" and
 * redundant zeros the engine would drop anyway. Integers are compared as BigInt so that 20 digits are not rounded.
 */
function numberCheck(col: ColumnSpec, re: RegExp, code: ReasonCode, zh: string, en: string): Check {
  const storage = COLUMN_STORAGE[col.type];
  return (raw) => {
    const text = ungroup(raw);
    if (!re.test(text)) return problem(col, code, `${zh}，实际为“${raw}”`, `${en}, got "${raw}"`);
    if (storage.integerRange) {
      const big = BigInt(text);
      const { min, max } = storage.integerRange;
      if (big < BigInt(min) || big > BigInt(max)) {
        return problem(col, 'out_of_storage', `为 ${raw}，超出可存储的整数范围 ${min} 至 ${max}`, `is ${raw}, outside the storable whole-number range ${min} to ${max}`);
      }
      return rangeCheck(col, Number(big), big.toString());
    }
    if (storage.decimal) {
      const { integerDigits: most, scale } = storage.decimal;
      if (integerDigits(text) > most) {
        return problem(col, 'out_of_storage', `为 ${raw}，整数部分超过 ${most} 位，无法存储`, `is ${raw}: more than ${most} digits before the decimal point cannot be stored`);
      }
      const fraction = (text.split('.')[1] ?? '').replace(/0+$/, '');
      if (fraction.length > scale) {
        return problem(col, 'too_precise', `为 ${raw}，小数超过 ${scale} 位（不会四舍五入，请按 ${scale} 位小数提供）`, `is ${raw}: more than ${scale} decimals (not rounded: deliver at most ${scale})`);
      }
    }
    return rangeCheck(col, Number(text), text);
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
        return iso ? { value: iso } : problem(col, 'bad_date', `应为 ${YEARS.min}–${YEARS.max} 年间的日期 YYYY-MM-DD，实际为“${raw}”`, `must be a date YYYY-MM-DD between ${YEARS.min} and ${YEARS.max}, got "${raw}"`);
      };
    case 'month':
      return (raw) => {
        const m = MONTH_RE.exec(raw);
        return m && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[1]) >= YEARS.min && Number(m[1]) <= YEARS.max ? { value: raw } : problem(col, 'bad_month', `应为月份 YYYY-MM，实际为“${raw}”`, `must be a month YYYY-MM, got "${raw}"`);
      };
    case 'timestamp':
      return (raw) => {
        const m = TIMESTAMP_RE.exec(raw);
        const [h, mi, sec] = (m?.[2] ?? '').split(':').map(Number);
        const timeOk = h! < 24 && mi! < 60 && (sec === undefined || sec < 60);
        return m && timeOk && normaliseDate(m[1]!) ? { value: `${m[1]} ${m[2]}` } : problem(col, 'bad_timestamp', `应为 ${YEARS.min}–${YEARS.max} 年间的时间 YYYY-MM-DD HH:MM:SS，实际为“${raw}”`, `must be a timestamp YYYY-MM-DD HH:MM:SS between ${YEARS.min} and ${YEARS.max}, got "${raw}"`);
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
      if (CONTROL_CHARS.test(raw)) {
        const at = raw.search(CONTROL_CHARS);
        const hex = raw.charCodeAt(at).toString(16).padStart(4, '0').toUpperCase();
        problems.push(problem(col, 'control_char', `在第 ${at + 1} 个字符处含有控制字符 U+${hex}（导出时混入了二进制数据？）`, `has the control character U+${hex} at character ${at + 1} (binary data in the export?)`));
        values[i] = '';
        continue;
      }
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
