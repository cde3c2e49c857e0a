/** The DynamoDB AlertStore against dynalite: conditional writes, filters, and two people acting on one alert at once. */
import type { Server } from 'node:net';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient, DynamoAlertStore, ensureAlertTable } from '../../functions/adapters/dynamodb.ts';
import { actOnAlert } from '../../functions/api/alert-actions.ts';
import { AlertConflictError, type AlertRecord } from '../../functions/ports.ts';

let server: Server;
let store: DynamoAlertStore;
let client: ReturnType<typeof documentClient>;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 }) as unknown as Server;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const port = (server.address() as { port: number }).port;
  client = documentClient({ endpoint: `http://127.0.0.1:${port}`, region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  await ensureAlertTable(client, 'alerts');
  store = new DynamoAlertStore(client, 'alerts');
});
afterAll(async () => {
  client.destroy();
  await new Promise<void>((ok) => server.close(() => ok()));
});

const alert = (id: string, extra: Partial<AlertRecord> = {}): AlertRecord => ({
  id, ruleId: 'bed_occupancy_over', owner: 'nursing', entity: 'W1', entityZh: '一病区', entityEn: 'Ward 1', departmentId: 'D1', period: '2026-06',
  severity: 'P2', state: 'open', version: 1, zh: '超负荷', en: 'over capacity', evidence: { monthOccupancy: 104.2 }, link: null,
  firstSeen: '2026-06-10', lastSeen: '2026-06-10', updatedAt: '2026-06-11T00:00:00Z', history: [{ at: '2026-06-11T00:00:00Z', state: 'open', by: 'system' }], ...extra,
});

describe('DynamoAlertStore on dynalite', () => {
  it('creates once, then updates only from the version read', async () => {
    await store.put(alert('a1'), null);
    await expect(store.put(alert('a1'), null)).rejects.toBeInstanceOf(AlertConflictError);
    await store.put(alert('a1', { version: 2, lastSeen: '2026-06-11' }), 1);
    await expect(store.put(alert('a1', { version: 3 }), 1)).rejects.toBeInstanceOf(AlertConflictError);
    expect(await store.get('a1')).toMatchObject({ version: 2, lastSeen: '2026-06-11' });
  });

  it('filters by state, severity, owner, department and rule', async () => {
    await store.put(alert('a2', { severity: 'P1', owner: 'finance', departmentId: 'D2', ruleId: 'budget_expense_ahead' }), null);
    await store.put(alert('a3', { state: 'resolved' }), null);
    expect((await store.list({ severity: 'P1' })).map((a) => a.id)).toEqual(['a2']);
    expect((await store.list({ owner: 'finance', departmentId: 'D2' })).map((a) => a.id)).toEqual(['a2']);
    expect((await store.list({ state: 'resolved' })).map((a) => a.id)).toEqual(['a3']);
    expect((await store.list({ ruleId: 'bed_occupancy_over', state: 'open' })).map((a) => a.id).sort()).toEqual(['a1']);
    expect((await store.list()).length).toBe(3);
  });

  it('lets exactly one of two simultaneous acknowledgements win, and keeps the trail', async () => {
    await store.put(alert('a4'), null);
    const results = await Promise.allSettled([
      actOnAlert(store, 'a4', 'acknowledge', '王主任', '已安排加床护理', 1, '2026-06-11T08:00:00Z'),
      actOnAlert(store, 'a4', 'acknowledge', '李护士长', '知悉', 1, '2026-06-11T08:00:01Z'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(AlertConflictError);
    const stored = (await store.get('a4'))!;
    expect(stored.state).toBe('acknowledged');
    expect(stored.version).toBe(2);
    expect(stored.history).toHaveLength(2);
    expect(stored.history[1]!.by === '王主任' || stored.history[1]!.by === '李护士长').toBe(true);
    // Then resolved by a person; acknowledging a resolved alert is refused.
    const resolved = await actOnAlert(store, 'a4', 'resolve', '王主任', undefined, 2, '2026-06-12T08:00:00Z');
    expect(resolved).toMatchObject({ state: 'resolved', version: 3 });
    expect(await actOnAlert(store, 'a4', 'acknowledge', 'x', undefined, 3, '2026-06-12T09:00:00Z')).toEqual({ error: 'bad_state' });
    expect(await actOnAlert(store, 'nope', 'acknowledge', 'x', undefined, 1, '2026-06-12T09:00:00Z')).toEqual({ error: 'not_found' });
  });
});
