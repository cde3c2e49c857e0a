/**
 * The API Lambda's wiring: its handler, given an HTTP API event, answers from DynamoDB (dynalite) and its bundled
 * configuration, with the hospital's own files from `config/` in the operations bucket (s3rver).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { s3Store } from '../../functions/handlers/aws-runtime.ts';
import { loadHospitalConfig } from '../../functions/compose/config.ts';
import { SNAPSHOT_SCHEMA } from '../../functions/domain/screens.ts';
import type { AnySnapshot } from '../../functions/ports.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient, DynamoSnapshotStore, ensureAlertTable, ensureAuditTable, ensureSnapshotTable } from '../../functions/adapters/dynamodb.ts';

let server: Server;
let s3: S3rver;
let dir: string;
let handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string; headers?: Record<string, string> }>;
let snapshots: DynamoSnapshotStore;

/** What API Gateway's JWT authorizer passes for a verified Cognito ID token (array claims as "[a b]" text). */
const LEADER = { sub: 'u-1', token_use: 'id', email: 'president@hospital.example', name: '张院长', 'cognito:groups': '[leadership]' };
const DIRECTOR = { sub: 'u-2', token_use: 'id', email: 'li@hospital.example', name: '李主任', 'cognito:groups': '[director]', 'custom:departments': 'D205' };

const event = (path: string, query = '', claims: Record<string, unknown> | null = LEADER) => ({
  version: '2.0', routeKey: '$default', rawPath: path, rawQueryString: query, headers: { host: 'api.example', 'accept-language': 'zh-CN' }, isBase64Encoded: false,
  requestContext: { accountId: '1', apiId: 'a', domainName: 'api.example', domainPrefix: 'api', requestId: 'r', routeKey: '$default', stage: '$default', time: '', timeEpoch: 0,
    http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '10.0.0.1', userAgent: 'test' },
    ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}) },
});

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 }) as unknown as Server;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const port = (server.address() as { port: number }).port;
  dir = mkdtempSync(join(tmpdir(), 'opsdeck-lambda-'));
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: 'h-landing' }, { name: 'h-lake' }, { name: 'h-ops' }] });
  const s3Port = (await s3.run()).port;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}`, AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${s3Port}`, AWS_REGION: 'cn-north-1', AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', // s3rver's fixed key; dynalite takes any
    SNAPSHOT_TABLE: 'snap', ALERT_TABLE: 'alerts', AUDIT_TABLE: 'audit', LANDING_BUCKET: 'h-landing', LAKE_BUCKET: 'h-lake', OPS_BUCKET: 'h-ops', ATHENA_WORKGROUP: 'opsdeck', GLUE_DATABASE: 'opsdeck_lake',
  });
  const client = documentClient({});
  await ensureSnapshotTable(client, 'snap');
  await ensureAlertTable(client, 'alerts');
  await ensureAuditTable(client, 'audit');
  snapshots = new DynamoSnapshotStore(client, 'snap');
  // The hospital's own displays replace the shipped ones.
  await s3Store().put('config/displays.json', JSON.stringify({ version: 1, displays: [{ id: 'ward-7', zh: '七病区护士站', en: 'Ward 7 station', slides: [{ screen: 'alerts', dwellSeconds: 60 }] }] }));
  ({ handler } = (await import('../../functions/handlers/api.ts')) as unknown as { handler: typeof handler });
});
afterAll(async () => {
  await new Promise<void>((ok) => server?.close(() => ok()));
  await s3?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('API Lambda handler', () => {
  it('answers health, the bundled displays, and snapshots from DynamoDB', async () => {
    const health = await handler(event('/api/health'), {});
    expect(health.statusCode).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
    const displays = JSON.parse((await handler(event('/api/displays'), {})).body) as { displays: { id: string }[]; timeZone: string };
    expect(displays.displays.map((d) => d.id)).toEqual(['ward-7']);
    const missing = await handler(event('/api/screens/campus', 'scope=hospital'), {});
    expect(missing.statusCode).toBe(404);
    expect(JSON.parse(missing.body).error.code).toBe('no_snapshot');
    // A snapshot an older OpsDeck wrote (no shape version) is refused with the reason, never shown as figures.
    await snapshots.put({ screen: 'budget', scope: 'hospital', asOf: '2026-03-14', generatedAt: '2026-03-15T02:00:00Z', data: { year: '2026' } } as unknown as AnySnapshot);
    const old = await handler(event('/api/screens/budget'), {});
    expect(old.statusCode).toBe(503);
    expect(JSON.parse(old.body).error).toMatchObject({ code: 'snapshot_outdated', en: expect.stringContaining('run opsdeck aggregate') });
    await snapshots.put({ screen: 'budget', scope: 'hospital', asOf: '2026-03-15', generatedAt: '2026-03-16T02:00:00Z', data: { year: '2026', schema: SNAPSHOT_SCHEMA } } as unknown as AnySnapshot);
    // (The Lambda keeps snapshot reads for 15 s: ask for the night by date, as a wall's date picker does.)
    const budget = await handler(event('/api/screens/budget', 'asOf=2026-03-15'), {});
    expect(budget.statusCode).toBe(200);
    expect(JSON.parse(budget.body)).toMatchObject({ screen: 'budget', asOf: '2026-03-15', data: { year: '2026' } });
    // The alert list reads the (empty) alert table; the rules are the bundled catalogue.
    const alerts = JSON.parse((await handler(event('/api/alerts'), {})).body) as { total: number; rules: unknown[] };
    expect(alerts.total).toBe(0);
    expect(alerts.rules).toHaveLength(17);
  });
});

describe('access on AWS: the claims of the verified Cognito ID token', () => {
  it('refuses a request without verified claims, or with an access token, and scopes a director to their department', async () => {
    expect((await handler(event('/api/health', '', null), {})).statusCode).toBe(200);
    const bare = await handler(event('/api/screens/budget', '', null), {});
    expect(bare.statusCode).toBe(401);
    expect(JSON.parse(bare.body).error).toMatchObject({ code: 'unauthenticated_missing', en: 'Sign in first: this request carries no token' });
    expect((await handler(event('/api/screens/budget', '', { ...LEADER, token_use: 'access' }), {})).statusCode).toBe(401);
    // The director: their department (no snapshot there yet: 404), not another's (403), no hospital screen (403).
    expect(JSON.parse((await handler(event('/api/departments/D205', '', DIRECTOR), {})).body).error.code).toBe('no_snapshot');
    const peer = await handler(event('/api/departments/D101', '', DIRECTOR), {});
    expect(peer.statusCode).toBe(403);
    expect(JSON.parse(peer.body).error.en).toBe('Not allowed: department D101 is outside your scope');
    expect((await handler(event('/api/screens/budget', '', DIRECTOR), {})).statusCode).toBe(403);
    const me = JSON.parse((await handler(event('/api/me', '', DIRECTOR), {})).body) as { principal: { name: string; roles: string[]; departments: string[] } };
    expect(me.principal).toMatchObject({ name: '李主任', roles: ['director'], departments: ['D205'] });
  });
});

describe('the hospital configuration on AWS', () => {
  it('is the shipped files where the hospital has none, and names the S3 object of a bad one', async () => {
    const store = s3Store();
    const shipped = await loadHospitalConfig(store);
    expect(shipped.displays.map((d) => d.id)).toEqual(['ward-7']);
    expect(shipped.costModel.drivers).toEqual({ administrative: 'headcount', medical_auxiliary: 'floor_area', medical_technical: 'revenue' });
    await store.put('config/cost-model.json', JSON.stringify({ version: 1, drivers: { administrative: 'beds' }, indicators: [] }));
    await expect(loadHospitalConfig(store)).rejects.toThrow(/s3:\/\/h-ops\/config\/cost-model\.json/);
    await store.put('config/alert-rules.json', '{ not json');
    await expect(loadHospitalConfig(store)).rejects.toThrow(/cannot read the configuration s3:\/\/h-ops\/config\/alert-rules\.json/);
    await store.delete('config/alert-rules.json');
    await store.delete('config/cost-model.json');
  });
});
