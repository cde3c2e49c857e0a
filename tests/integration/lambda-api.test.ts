/** The API Lambda's wiring: its handler, given an HTTP API event, answers from DynamoDB (dynalite) and its bundled configuration. */
import type { Server } from 'node:net';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient, DynamoSnapshotStore, ensureAlertTable, ensureSnapshotTable } from '../../functions/adapters/dynamodb.ts';

let server: Server;
let handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string; headers?: Record<string, string> }>;
let snapshots: DynamoSnapshotStore;

const event = (path: string, query = '') => ({
  version: '2.0', routeKey: '$default', rawPath: path, rawQueryString: query, headers: { host: 'api.example', 'accept-language': 'zh-CN' }, isBase64Encoded: false,
  requestContext: { accountId: '1', apiId: 'a', domainName: 'api.example', domainPrefix: 'api', requestId: 'r', routeKey: '$default', stage: '$default', time: '', timeEpoch: 0,
    http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '10.0.0.1', userAgent: 'test' } },
});

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 }) as unknown as Server;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const port = (server.address() as { port: number }).port;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}`, AWS_REGION: 'cn-north-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local',
    SNAPSHOT_TABLE: 'snap', ALERT_TABLE: 'alerts', LANDING_BUCKET: 'h-landing', LAKE_BUCKET: 'h-lake', OPS_BUCKET: 'h-ops', ATHENA_WORKGROUP: 'opsdeck', GLUE_DATABASE: 'opsdeck_lake',
  });
  const client = documentClient({});
  await ensureSnapshotTable(client, 'snap');
  await ensureAlertTable(client, 'alerts');
  snapshots = new DynamoSnapshotStore(client, 'snap');
  ({ handler } = (await import('../../functions/handlers/api.ts')) as unknown as { handler: typeof handler });
});
afterAll(async () => {
  await new Promise<void>((ok) => server?.close(() => ok()));
});

describe('API Lambda handler', () => {
  it('answers health, the bundled displays, and snapshots from DynamoDB', async () => {
    const health = await handler(event('/api/health'), {});
    expect(health.statusCode).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
    const displays = JSON.parse((await handler(event('/api/displays'), {})).body) as { displays: { id: string }[]; timeZone: string };
    expect(displays.displays.map((d) => d.id)).toEqual(['lobby', 'president', 'insurance-office']);
    const missing = await handler(event('/api/screens/campus', 'scope=hospital'), {});
    expect(missing.statusCode).toBe(404);
    expect(JSON.parse(missing.body).error.code).toBe('no_snapshot');
    await snapshots.put({ screen: 'budget', scope: 'hospital', asOf: '2026-03-15', generatedAt: '2026-03-16T02:00:00Z', data: { year: '2026' } });
    const budget = await handler(event('/api/screens/budget'), {});
    expect(budget.statusCode).toBe(200);
    expect(JSON.parse(budget.body)).toMatchObject({ screen: 'budget', asOf: '2026-03-15', data: { year: '2026' } });
    // The alert list reads the (empty) alert table; the rules are the bundled catalogue.
    const alerts = JSON.parse((await handler(event('/api/alerts'), {})).body) as { total: number; rules: unknown[] };
    expect(alerts.total).toBe(0);
    expect(alerts.rules).toHaveLength(17);
  });
});
