/**
 * The real CDK command line, as a hospital's cloud team runs it, offline and without AWS credentials: `cdk synth`
 * bundles the three functions (DuckDB's native package beside the ingest bundle), runs the cdk-nag packs as policy
 * validation plugins, and refuses to synthesise without the administrator's e-mail.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
let dir: string;
const cdk = (args: string[]) => spawnSync(join(ROOT, 'node_modules', '.bin', 'cdk'), args, {
  cwd: ROOT, encoding: 'utf8', timeout: 240_000,
  // No credentials, no profile: synthesis must not need AWS.
  env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', CDK_DISABLE_VERSION_CHECK: '1', CI: 'true' },
});

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'opsdeck-cdk-'));
  mkdirSync(join(dir, 'web', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'web', 'index.html'), '<!doctype html><script type="module" src="/assets/index.js"></script>');
  writeFileSync(join(dir, 'web', 'assets', 'index.js'), 'console.log(1)');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cdk synth', () => {
  it('synthesises the stack with bundled functions and passes both nag packs', { timeout: 300_000 }, () => {
    const out = join(dir, 'out');
    const r = cdk(['synth', '--quiet', '--no-notices', '-o', out, '-c', 'adminEmail=it@hospital.example', '-c', `webDist=${join(dir, 'web')}`]);
    expect(r.status, r.stderr).toBe(0);
    const template = JSON.parse(readFileSync(join(out, 'OpsDeck.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
    expect(Object.keys(template.Resources).length).toBeGreaterThan(100);
    // The packs ran as validation plugins; the report lists a plugin only when it found something.
    const report = JSON.parse(readFileSync(join(out, 'validation-report.json'), 'utf8')) as { title: string; pluginReports: { pluginName: string; conclusion: string }[] };
    expect(report.title).toBe('Validation Report');
    expect(report.pluginReports.filter((p) => p.conclusion !== 'success')).toEqual([]);
    // The ingest asset carries DuckDB's Linux x64 binding next to its bundle; the others are a bundle alone.
    const assets = readdirSync(out).filter((a) => a.startsWith('asset.') && existsSync(join(out, a, 'index.mjs')));
    expect(assets).toHaveLength(3);
    const withDuckDb = assets.filter((a) => existsSync(join(out, a, 'node_modules', '@duckdb', 'node-bindings-linux-x64')));
    expect(withDuckDb).toHaveLength(1);
    for (const a of assets) expect(statSync(join(out, a, 'index.mjs')).size).toBeLessThan(3_000_000);
  });

  it('refuses to synthesise without the administrator\'s e-mail, naming the setting', () => {
    const r = cdk(['synth', '--quiet', '--no-notices', '-o', join(dir, 'bad'), '-c', `webDist=${join(dir, 'web')}`]);
    expect(r.status).not.toBe(0);
    expect(r.stderr + r.stdout).toContain('adminEmail=(unset)');
  });
});
