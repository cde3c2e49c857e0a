/**
 * One landing file validated against the contract for its night: decoded (UTF-8 or GB18030), its header checked, every
 * record parsed and validated, duplicates resolved (last in file wins), lateness measured against the deadline. Pure
 * apart from the bytes given: shared by ingest and `opsdeck ingest --check`.
 */
import { createHash } from 'node:crypto';
import { addDays, monthStart, shiftMonths } from '../domain/calendar.ts';
import { MAX_RECORD_CHARS, type TableSpec } from '../domain/contract.ts';
import { checkHeader, compileRowKey, compileRowValidator, describeHeaderProblem, type FieldProblem, type ReferenceLookup } from '../domain/row-validation.ts';
import type { FileProblem, FileReport } from '../domain/ingest-report.ts';
import { CsvSyntaxError, DecodeError, csvLine, decodeExtract, parseCsv, type CsvRecord, type Encoding } from '../lake/csv.ts';

/** When a night's extracts are due: `hour` o'clock hospital time on the day after the night (monthly: `monthlyDay` of the next month). */
export interface DeliveryDeadline {
  utcOffset: string;
  hour: number;
  monthlyDay: number;
}

export const DEFAULT_DEADLINE: DeliveryDeadline = { utcOffset: '+08:00', hour: 6, monthlyDay: 10 };

/** How much of a rejected record the quarantine keeps (a 2 MB line is named by its line number, not copied whole). */
const QUARANTINE_RAW_CHARS = 4000;
function deadlineFor(spec: TableSpec, dt: string, d: DeliveryDeadline): number | undefined {
  if (spec.kind === 'reference') return undefined;
  const day = spec.kind === 'daily' ? addDays(dt, 1) : `${shiftMonths(monthStart(dt), 1).slice(0, 8)}${String(d.monthlyDay).padStart(2, '0')}`;
  return Date.parse(`${day}T${String(d.hour).padStart(2, '0')}:00:00${d.utcOffset}`);
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** What validating one file produced; the accepted rows are canonical CSV lines keyed by primary key (last in file wins). */
export interface FileOutcome {
  report: FileReport;
  rows: Map<string, string>;
  /** Quarantine lines (CSV, REJECT_HEADER columns). */
  rejects: string[];
  reasons: Record<string, number>;
}

/**
 * Validates one landing file against the contract for night `dt`. Pure apart from the bytes given: shared by ingest and
 * `opsdeck ingest --check`.
 */
export function validateFile(spec: TableSpec, dt: string, file: { key: string; bytes: Uint8Array; modifiedAt: string }, references?: ReferenceLookup, deadline = DEFAULT_DEADLINE): FileOutcome {
  const report: FileReport = {
    key: file.key, bytes: file.bytes.length, modifiedAt: file.modifiedAt, sha256: sha256(file.bytes),
    rowsRead: 0, accepted: 0, rejected: 0, duplicates: 0,
  };
  const due = deadlineFor(spec, dt, deadline);
  if (due !== undefined) report.lateMinutes = Math.max(0, Math.round((Date.parse(file.modifiedAt) - due) / 60000));
  const rows = new Map<string, string>();
  const rejects: string[] = [];
  const reasons: Record<string, number> = {};
  const count = (field: string, code: string): void => void (reasons[`${field}:${code}`] = (reasons[`${field}:${code}`] ?? 0) + 1);
  const refuse = (problem: FileProblem): FileOutcome => {
    report.refused = problem;
    report.rejected = report.rowsRead;
    report.accepted = 0;
    report.duplicates = 0;
    rejects.length = 0;
    for (const k of Object.keys(reasons)) delete reasons[k];
    rejects.push(csvLine([file.key, String(problem.line ?? 0), '*', problem.code, problem.zh, problem.en, '']));
    count('*', problem.code);
    return { report, rows: new Map(), rejects, reasons };
  };

  let decoded: { text: string; encoding: Encoding };
  try {
    decoded = decodeExtract(file.bytes);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return refuse({ code: 'file_encoding', ...(e.line ? { line: e.line } : {}), zh: `${file.key}：${e.message}`, en: `${file.key}: ${e.message}` });
  }
  report.encoding = decoded.encoding;
  const keyOf = compileRowKey(spec);
  try {
    const records = parseCsv(decoded.text);
    const first = records.next();
    if (first.done) return refuse({ code: 'file_empty', zh: `${file.key}：文件为空，缺少表头`, en: `${file.key}: the file is empty (no header row)` });
    const header = first.value.fields.map((h) => h.trim());
    const headerProblem = checkHeader(spec, header);
    if (headerProblem) {
      for (const _ of records) report.rowsRead++;
      const d = describeHeaderProblem(spec.name, headerProblem);
      return refuse({ code: 'file_header', line: 1, zh: `${file.key} 第 1 行：${d.zh}`, en: `${file.key} line 1: ${d.en}` });
    }
    const validate = compileRowValidator(spec, header, dt, references);
    const reject = (record: CsvRecord, problems: readonly FieldProblem[]): void => {
      report.rejected++;
      const raw = record.raw.length > QUARANTINE_RAW_CHARS ? `${record.raw.slice(0, QUARANTINE_RAW_CHARS)}…[${record.raw.length}]` : record.raw;
      for (const p of problems) {
        rejects.push(csvLine([file.key, String(record.line), p.field, p.code, p.zh, p.en, raw]));
        count(p.field, p.code);
      }
    };
    for (const record of records) {
      report.rowsRead++;
      const unusable = recordProblem(file.key, header, record, report);
      if (unusable) {
        reject(record, [unusable]);
        continue;
      }
      const outcome = validate(record.fields);
      if (!outcome.ok) {
        reject(record, outcome.problems);
        continue;
      }
      const k = keyOf(outcome.values);
      if (rows.has(k)) {
        rows.delete(k); // re-insert so that the row sits where its winning version was read
        report.duplicates++;
      } else report.accepted++;
      rows.set(k, csvLine(outcome.values));
    }
  } catch (e) {
    if (!(e instanceof CsvSyntaxError)) throw e;
    return refuse({ code: 'file_syntax', line: e.line, zh: `${file.key}：${e.message}`, en: `${file.key}: ${e.message}` });
  }
  return { report, rows, rejects, reasons };
}

/**
 * Why a record cannot be read at all, before its fields are: the file's last line without a line break (a cut-off
 * re-delivery must not replace the good row; the file gets a warning), a record over the length limit, a stray quote.
 */
function recordProblem(key: string, header: readonly string[], record: CsvRecord, report: FileReport): FieldProblem | undefined {
  if (!record.terminated) {
    report.warnings = [{
      code: 'truncated', line: record.line,
      zh: `${key} 第 ${record.line} 行：文件没有以换行结尾，最后一行可能被截断（磁盘满或传输中断），已拒收该行；请重新投递完整文件（导出时让最后一行也以换行结尾）`,
      en: `${key} line ${record.line}: the file does not end with a line break, so its last line may have been cut off (full disk or broken transfer) and was rejected: deliver the whole file again (with a line break after the last line)`,
    }];
    return { field: '*', code: 'unterminated', zh: '文件没有以换行结尾，最后一行可能被截断，未导入', en: 'the file does not end with a line break: the last line may be cut off and was not ingested' };
  }
  if (record.raw.length > MAX_RECORD_CHARS) {
    return { field: '*', code: 'record_too_long', zh: `记录长 ${record.raw.length} 个字符，超过上限 ${MAX_RECORD_CHARS}`, en: `the record is ${record.raw.length} characters long, over the limit of ${MAX_RECORD_CHARS}` };
  }
  if (record.strayQuotes) {
    const cols = record.strayQuotes.map((i) => header[i - 1] ?? `#${i}`).join(', ');
    return { field: record.strayQuotes.length === 1 ? (header[record.strayQuotes[0]! - 1] ?? '*') : '*', code: 'stray_quote',
      zh: `字段 ${cols} 中的引号位置不合 CSV 规范（值中的引号应写成两个，并用引号括起整个值），取值无法确定`,
      en: `a quote in field ${cols} is misplaced for CSV (a quote inside a value is doubled and the whole value quoted): the value is uncertain` };
  }
  return undefined;
}
