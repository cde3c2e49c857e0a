/**
 * `opsdeck ingest --check FILE`: validates one extract exactly as the nightly ingest would, without writing anything.
 * For the hospital's IT staff while they build an extract.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { isIsoDate } from '../domain/calendar.ts';
import { isContractTable, tableSpec, TABLES } from '../domain/contract.ts';
import { REASON_CODES, type ReasonCode } from '../domain/row-validation.ts';
import { DuckDbEngine } from '../adapters/duckdb.ts';
import { LocalFolderStore } from '../adapters/local-folder.ts';
import { validateFile, type FileOutcome } from '../pipeline/validate-file.ts';
import { ReferenceCache, type ReferenceContext } from '../pipeline/references.ts';
import { parseCsv } from '../lake/csv.ts';

export interface CheckTarget {
  table: string;
  dt: string;
}

/** Table and night from the flags, else from the path (`…/<table>/dt=YYYY-MM-DD/…`) or the name (`<table>-YYYYMMDD.csv`). */
export function inferTarget(path: string, table?: string, dt?: string): CheckTarget | { error: { zh: string; en: string } } {
  const full = resolve(path).split(/[\\/]/);
  const folderDt = full.map((p) => /^dt=(\d{4}-\d{2}-\d{2})$/.exec(p)?.[1]).find(Boolean);
  const folderTable = folderDt ? full[full.findIndex((p) => p === `dt=${folderDt}`) - 1] : undefined;
  const name = basename(path).replace(/\.csv$/i, '');
  const nameTable = TABLES.map((t) => t.name).filter((t) => name === t || name.startsWith(`${t}-`) || name.startsWith(`${t}_`)).sort((a, b) => b.length - a.length)[0];
  const nameDate = /(\d{4})-?(\d{2})-?(\d{2})/.exec(name);
  const t = table ?? (folderTable && isContractTable(folderTable) ? folderTable : nameTable);
  const d = dt ?? folderDt ?? (nameDate ? `${nameDate[1]}-${nameDate[2]}-${nameDate[3]}` : undefined);
  if (!t || !isContractTable(t)) {
    return { error: { zh: `无法判断 ${path} 属于哪张表，请用 --table 指定（${TABLES.map((x) => x.name).join(', ')}）`, en: `cannot tell which table ${path} is for: give --table (one of ${TABLES.map((x) => x.name).join(', ')})` } };
  }
  if (!d || !isIsoDate(d)) {
    return { error: { zh: `无法判断 ${path} 属于哪一晚，请用 --date YYYY-MM-DD 指定`, en: `cannot tell which night ${path} is for: give --date YYYY-MM-DD` } };
  }
  return { table: t, dt: d };
}

export interface CheckResult {
  target: CheckTarget;
  outcome: FileOutcome;
  references: ReferenceContext | undefined;
}

/** Validates `path` for `target`, checking codes against the reference tables in `dataDir`'s lake when there is one. */
export async function checkFile(path: string, target: CheckTarget, dataDir: string): Promise<CheckResult> {
  const spec = tableSpec(target.table);
  let references: ReferenceContext | undefined;
  if (existsSync(join(dataDir, 'lake'))) {
    const engine = await DuckDbEngine.open({ lakeRoot: join(dataDir, 'lake') });
    try {
      references = await new ReferenceCache(new LocalFolderStore(dataDir), engine).forTable(spec, target.dt);
    } finally {
      await engine.close();
    }
  }
  const bytes = readFileSync(path);
  const outcome = validateFile(spec, target.dt, { key: path, bytes, modifiedAt: statSync(path).mtime.toISOString() }, references?.lookup);
  return { target, outcome, references };
}

/** The report printed for a check: counts, reasons, the first rejected rows, and a verdict. */
export function formatCheck(result: CheckResult, maxRows = 20): string {
  const { outcome: { report, rejects, reasons }, target, references } = result;
  const out: string[] = [];
  out.push(`检查 check ${report.key}`);
  out.push(`  表 table ${target.table} · 批次 night ${target.dt} · 编码 encoding ${report.encoding ?? '?'} · ${report.bytes.toLocaleString('en')} bytes`);
  out.push(`  读取 read ${report.rowsRead.toLocaleString('en')} · 接收 accepted ${report.accepted.toLocaleString('en')} · 拒收 rejected ${report.rejected.toLocaleString('en')} · 重复 duplicates ${report.duplicates.toLocaleString('en')}`);
  if (references) {
    if (references.used.length) out.push(`  参考表 references checked against: ${references.used.join(', ')}`);
    if (references.skipped.length) out.push(`  未校验 not checked (never delivered): ${references.skipped.join(', ')}`);
  } else {
    out.push('  参考表 references: 数据目录中没有湖，编码未校验 / no lake in the data folder: codes not checked');
  }
  const reasonList = Object.entries(reasons).sort((a, b) => b[1] - a[1]);
  if (reasonList.length) {
    out.push('  拒收原因 reasons:');
    for (const [k, n] of reasonList) {
      const [field, code] = k.split(':') as [string, string];
      const label = REASON_CODES[code as ReasonCode];
      out.push(`    ${String(n).padStart(7)} × ${field} · ${code}${label ? ` (${label.zh} / ${label.en})` : ''}`);
    }
  }
  const lines = [...parseCsv(rejects.join(''))].slice(0, maxRows);
  if (lines.length) out.push(`  前 ${lines.length} 条 first ${lines.length}:`);
  for (const r of lines) {
    const [, line, field, , zh, en] = r.fields;
    out.push(`    第 ${line} 行 line ${line} · ${field}\n      ${zh}\n      ${en}`);
  }
  for (const w of report.warnings ?? []) out.push(`  ⚠ ${w.zh}\n    ${w.en}`);
  if (report.refused) out.push(`结论 verdict: ✗ 整个文件将被拒收 / the whole file would be refused`);
  else if (report.rejected) out.push(`结论 verdict: ✗ ${report.rejected} 行将被拒收 / ${report.rejected} rows would be rejected`);
  else out.push(`结论 verdict: ✓ 全部 ${report.accepted + report.duplicates} 行通过校验 / all rows pass`);
  return out.join('\n');
}

/** Exit status for scripts: 0 all rows pass, 2 some rows rejected, 3 the file refused. */
export function checkExitCode(result: CheckResult): number {
  return result.outcome.report.refused ? 3 : result.outcome.report.rejected ? 2 : 0;
}
