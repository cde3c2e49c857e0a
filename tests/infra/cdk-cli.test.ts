/**
 * The real CDK command line, as a hospital's cloud team runs it, offline and without AWS credentials: `cdk synth`
 * bundles the three functions (DuckDB's native package beside the ingest bundle), runs the cdk-nag packs as policy
 * validation plugins, and refuses to synthesise without the administrator's e-mail.
 */
import { execFile, spawnSync } from 'node:child_process';
import type { Server } from 'node:net';
import { promisify } from 'node:util';
import dynalite from 'dynalite';
import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { documentClient, ensureAlertTable, ensureAuditTable, ensureSnapshotTable } from '../../functions/adapters/dynamodb.ts';
import { s3Store } from '../../functions/handlers/aws-runtime.ts';
import { manifestKey } from '../../functions/pipeline/manifest.ts';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
let dir: string;
let bundles: Record<string, string> = {};
const cdk = (args: string[]) => spawnSync(join(ROOT, 'node_modules', '.bin', 'cdk'), args, {
  cwd: ROOT, encoding: 'utf8', timeout: 240_000,
  // No credentials, no profile: synthesis must not need AWS.
  env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: 'true', CI: 'true' },
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
    for (const a of assets) {
      expect(statSync(join(out, a, 'index.mjs')).size).toBeLessThan(3_000_000);
      // The portable SQL travels with each bundle (functions/sql/index.ts reads it beside the code).
      expect(readdirSync(join(out, a)).filter((f) => f.endsWith('.sql')).sort()).toEqual(readdirSync(join(ROOT, 'functions', 'sql')).filter((f) => f.endsWith('.sql')).sort());
    }
    bundles = Object.fromEntries(assets.map((a) => {
      const text = readFileSync(join(out, a, 'index.mjs'), 'utf8');
      return [/NightsAggregated/.test(text) ? 'aggregate' : /NightsIngested/.test(text) ? 'ingest' : 'api', join(out, a, 'index.mjs')];
    }));
    expect(Object.keys(bundles).sort()).toEqual(['aggregate', 'api', 'ingest']);
  });

  it('the bundles run: the API answers an HTTP API event from DynamoDB and S3, ingest (with its DuckDB) ingests a night from S3, aggregate loads', { timeout: 120_000 }, async () => {
    const dyn = dynalite({ createTableMs: 0 }) as unknown as Server;
    await new Promise<void>((ok) => dyn.listen(0, '127.0.0.1', () => ok()));
    const client = documentClient({ endpoint: `http://127.0.0.1:${(dyn.address() as { port: number }).port}`, region: 'cn-north-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    await ensureSnapshotTable(client, 'snap');
    await ensureAlertTable(client, 'alerts');
    await ensureAuditTable(client, 'audit');
    client.destroy();
    const s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: join(dir, 's3'), configureBuckets: [{ name: 'h-landing' }, { name: 'h-lake' }, { name: 'h-ops' }] });
    const s3Port = (await s3.run()).port;
    const env = {
      ...process.env, AWS_REGION: 'cn-north-1', AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${(dyn.address() as { port: number }).port}`, AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${s3Port}`,
      SNAPSHOT_TABLE: 'snap', ALERT_TABLE: 'alerts', AUDIT_TABLE: 'audit', LANDING_BUCKET: 'h-landing', LAKE_BUCKET: 'h-lake', OPS_BUCKET: 'h-ops', ATHENA_WORKGROUP: 'wg', GLUE_DATABASE: 'db',
    };
    const run = (bundle: string, script: string) => promisify(execFile)(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(`file://${bundle}`)}); ${script}`], { env, timeout: 60_000 });
    try {
      const event = (path: string) => ({ version: '2.0', routeKey: '$default', rawPath: path, rawQueryString: '', headers: { host: 'x' }, isBase64Encoded: false, requestContext: { authorizer: { jwt: { claims: { sub: 'u-1', token_use: 'id', name: '张院长', 'cognito:groups': '[leadership]' }, scopes: null } }, http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '10.0.0.1', userAgent: 't' }, requestId: 'r', routeKey: '$default', stage: '$default', time: '', timeEpoch: 0, accountId: '1', apiId: 'a', domainName: 'x', domainPrefix: 'x' } });
      const script = `const out = [];
        for (const p of ['/api/health', '/api/displays', '/api/screens/campus']) {
          const e = ${JSON.stringify(event('/'))}; e.rawPath = p; e.requestContext.http.path = p;
          const r = await m.handler(e, {});
          out.push([p, r.statusCode, JSON.parse(r.body)]);
        }
        console.log(JSON.stringify(out));`;
      const api = await run(bundles.api!, script);
      const answers = JSON.parse(api.stdout.trim().split('\n').at(-1)!) as [string, number, any][];
      expect(answers.map(([p, status]) => [p, status]), JSON.stringify(answers)).toEqual([['/api/health', 200], ['/api/displays', 200], ['/api/screens/campus', 404]]);
      expect(answers[1]![2].displays.map((d: { id: string }) => d.id)).toEqual(['lobby', 'president', 'insurance-office']);
      expect(answers[2]![2].error.code).toBe('no_snapshot');
      const aggregate = await run(bundles.aggregate!, `console.log(typeof m.handler)`);
      expect(aggregate.stdout.trim().split('\n').at(-1)).toBe('function');

      // The ingest bundle ingests a night for real: manifest and extract from S3, validation, Parquet written by the
      // DuckDB shipped beside it, lake partition and report back to S3. (A reference table: no foreign keys to look up
      // through Athena.)
      const store = s3Store(env, new S3Client({ endpoint: env.AWS_ENDPOINT_URL_S3, region: 'cn-north-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } }));
      await store.put('landing/campuses/dt=2026-03-01/campuses.csv', 'campus_id,name_zh,name_en\nC01,总院,Main Campus\nC02,东院区,East Campus\nC02,东院区,East Campus\n');
      await store.put(manifestKey('2026-03-01'), JSON.stringify({ night: '2026-03-01', files: [{ key: 'campuses/dt=2026-03-01/campuses.csv' }] }));
      const ingest = await run(bundles.ingest!, `const r = await m.handler({ detail: { bucket: { name: 'h-landing' }, object: { key: 'landing/_manifests/dt=2026-03-01.json' } } }); console.log(JSON.stringify(r));`);
      expect(JSON.parse(ingest.stdout.trim().split('\n').at(-1)!)).toEqual({ dt: '2026-03-01', accepted: 2, rejected: 0 });
      // Its embedded-metric line went to the log.
      expect(ingest.stdout).toContain('"NightsIngested":1');
      const parquet = await store.get('lake/campuses/dt=2026-03-01/part-0.parquet');
      expect(new TextDecoder().decode(parquet!.slice(0, 4))).toBe('PAR1');
      const report = JSON.parse(new TextDecoder().decode(await store.get('reports/ingest/dt=2026-03-01.json'))) as { totals: { rowsRead: number; accepted: number; duplicates: number } };
      expect(report.totals).toMatchObject({ rowsRead: 3, accepted: 2, duplicates: 1 });
    } finally {
      await new Promise<void>((ok) => dyn.close(() => ok()));
      await s3.close();
    }
  });

  it('refuses to synthesise without the administrator\'s e-mail, naming the setting', () => {
    const r = cdk(['synth', '--quiet', '--no-notices', '-o', join(dir, 'bad'), '-c', `webDist=${join(dir, 'web')}`]);
    expect(r.status).not.toBe(0);
    expect(r.stderr + r.stdout).toContain('adminEmail=(unset)');
  });
});
