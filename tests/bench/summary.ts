/**
 * The Performance table: every benchmark reports its headline figures as rows, each beside a reference measured in the
 * same run (so the ratio survives a noisy machine). `npm run bench` writes them into bench/results/<date>.json and
 * rebuilds the README's Performance table from the newest result of each benchmark (`npm run bench -- readme` rebuilds
 * it alone).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SummaryRow {
  scale: string;
  measure: string;
  /** OpsDeck's figure, formatted with its unit. */
  value: string;
  /** What it is compared with, and that figure. */
  reference: string;
  /** value ÷ reference, on the quantity the measure names (time, bytes, latency); null where it has no meaning. */
  ratio: number | null;
}

export interface BenchOutput { lines: string[]; figures: unknown; summary: SummaryRow[] }

export interface ResultsFile { machine: string; commit: string; startedAt: string; benchmarks: { name: string; seconds: number; lines: string[]; figures?: unknown; summary?: SummaryRow[] }[] }

const ratioText = (r: number | null): string => (r === null ? '—' : `×${r >= 10 ? r.toFixed(0) : r >= 0.1 ? r.toFixed(2) : r.toFixed(3)}`);

export function summaryLines(bench: string, rows: readonly SummaryRow[]): string[] {
  return rows.map((r) => `| ${bench} | ${r.scale} | ${r.measure} | ${r.value} | ${r.reference} | ${ratioText(r.ratio)} |`);
}

export const SUMMARY_HEAD = ['| benchmark | scale | measure | OpsDeck | reference, same run | ratio |', '|---|---|---|---|---|---|'];

/** The suite `npm run bench` runs by default, in the order it runs them and the table lists them. */
export const SUITE = ['ingest', 'aggregate', 'api', 'explore', 'web', 'lake'] as const;

/** The newest run of each benchmark among the results files, with the run it came from. */
export function newestSummaries(dir: string): { name: string; run: ResultsFile; summary: SummaryRow[] }[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as ResultsFile);
  const newest = new Map<string, { name: string; run: ResultsFile; summary: SummaryRow[] }>();
  for (const run of files.sort((a, b) => a.startedAt.localeCompare(b.startedAt))) {
    for (const b of run.benchmarks) if (b.summary?.length) newest.set(b.name, { name: b.name, run, summary: b.summary });
  }
  const rank = (n: string) => {
    const i = (SUITE as readonly string[]).indexOf(n);
    return i < 0 ? SUITE.length : i;
  };
  return [...newest.values()].sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
}

export const README_START = '<!-- performance table: built by `npm run bench` from bench/results; edit the benchmarks, not this table -->';
export const README_END = '<!-- end of performance table -->';

/** The README's table: one block of rows per benchmark, each naming the run (date, commit, machine) it came from. */
export function performanceTable(dir: string): string {
  const all = newestSummaries(dir);
  const runs = [...new Set(all.map((a) => a.run))];
  const lines = [...SUMMARY_HEAD];
  for (const a of all) lines.push(...summaryLines(`${a.name}${runs.length > 1 ? ` [${runs.indexOf(a.run) + 1}]` : ''}`, a.summary));
  lines.push('');
  runs.forEach((r, i) => lines.push(`${runs.length > 1 ? `[${i + 1}] ` : 'Run: '}${r.startedAt.slice(0, 16).replace('T', ' ')} UTC, commit ${r.commit}, ${r.machine}.${i < runs.length - 1 ? '<br>' : ''}`));
  return lines.join('\n');
}

/** Replaces the table between the markers in README.md (the markers must be there: the prose around them is hand-written). */
export function updateReadme(readmePath: string, dir: string): void {
  const text = readFileSync(readmePath, 'utf8');
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`${readmePath}: the Performance section's markers are missing (${README_START} … ${README_END})`);
  writeFileSync(readmePath, `${text.slice(0, start + README_START.length)}\n${performanceTable(dir)}\n${text.slice(end)}`);
}
