/**
 * A hospital running OpsDeck on one server: the dashboard serves all day while cron starts `opsdeck ingest` and
 * `opsdeck aggregate` in their own processes. The nightly run uses the serving process's DynamoDB (no "Database is
 * closed"), its snapshots are what the dashboard then serves, and a second run started meanwhile waits its turn.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoHospital } from '../../functions/local/demo/generate.ts';
import { openLocalRuntime, type LocalRuntime } from '../../functions/local/runtime.ts';
import { DEMO_END, REGION_DIR } from '../support/demo-runtime.ts';

const CLI = join(import.meta.dirname, '..', '..', 'functions', 'local', 'cli.ts');

function opsdeck(args: string[], dir: string): Promise<{ code: number; out: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args, '--out', dir], { env: { ...process.env, HOSPITAL_TIME_ZONE: 'Asia/Shanghai' } });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.on('close', (code) => ok({ code: code ?? -1, out }));
  });
}

let dir: string;
let serving: LocalRuntime;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'opsdeck-one-machine-'));
  // A small demo hospital's landing folders, two weeks of nights.
  await generateDemoHospital({ outDir: dir, seed: 7, scale: 's', endDate: DEMO_END, days: 14, chargeDays: 14, regionDir: REGION_DIR });
  // The dashboard's process: it owns the persisted DynamoDB store.
  serving = await openLocalRuntime(dir, { serving: true });
});
afterAll(async () => {
  await serving?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the nightly run beside a serving dashboard', () => {
  it('ingest and aggregate run in their own processes while the dashboard serves, one at a time', { timeout: 180_000 }, async () => {
    expect(existsSync(join(dir, 'dynamodb.owner.json'))).toBe(true);
    // Two ingests at once (cron and a person): both finish, one after the other.
    const [a, b] = await Promise.all([opsdeck(['ingest', '--all'], dir), opsdeck(['ingest', '--all'], dir)]);
    expect(a.code, a.out).toBe(0);
    expect(b.code, b.out).toBe(0);
    expect(`${a.out}\n${b.out}`).toMatch(/waiting for process \d+'s ingest/);
    expect(`${a.out}\n${b.out}`).not.toContain('Database is closed');
    const agg = await opsdeck(['aggregate'], dir);
    expect(agg.code, agg.out).toBe(0);
    const asOf = /as of (\d{4}-\d{2}-\d{2})/.exec(agg.out)?.[1];
    expect(asOf, agg.out).toBe(DEMO_END);
    // Two weeks were loaded at once: the nights before the newest have no snapshots, and the run says how to compute them.
    expect(agg.out).toContain('nights 2026-03-02 to 2026-03-14 have no screen snapshots yet');
    expect(agg.out).toContain('opsdeck aggregate --from 2026-03-02 --to 2026-03-14');
    // The snapshots the other process wrote are in the dashboard's store.
    const campus = await serving.snapshots.get('campus', 'hospital', asOf!);
    expect(campus?.asOf).toBe(asOf);
    // Nothing is left locked, and the dashboard still owns the store.
    expect(existsSync(join(dir, 'pipeline.lock'))).toBe(false);
    expect(existsSync(join(dir, 'dynamodb.owner.json'))).toBe(true);
  });
});
