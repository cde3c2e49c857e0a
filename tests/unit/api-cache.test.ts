/** The API's read cache for snapshots and the alert list's revalidation, on a counting in-memory snapshot store. */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app.ts';
import { Memo } from '../../functions/api/cache.ts';
import { SNAPSHOT_SCHEMA, type ScreenId } from '../../functions/domain/screens.ts';
import { STAFF, testAccess, withToken } from '../support/access.ts';
import type { AlertRecord, AlertStore, AnySnapshot, Snapshot, SnapshotStore } from '../../functions/ports.ts';

/** A campus snapshot with a marker in its data (the API serves what the store holds; the shape is the test's). */
const stored = (asOf: string, generatedAt: string, n: number): AnySnapshot => ({ screen: 'campus', scope: 'hospital', asOf, generatedAt, data: { n, schema: SNAPSHOT_SCHEMA } }) as unknown as AnySnapshot;

class CountingStore implements SnapshotStore {
  reads = 0;
  readonly items: AnySnapshot[] = [stored('2026-03-15', '2026-03-16T01:00:00Z', 1)];
  async put(s: AnySnapshot) { this.items.push(s); }
  async get() { return undefined; }
  async latest<S extends ScreenId>(screen: S, scope: string) { this.reads++; return this.items.filter((s) => s.screen === screen && s.scope === scope).at(-1) as Snapshot<S> | undefined; }
  async listAsOf(screen: ScreenId, scope: string) { this.reads++; return this.items.filter((s) => s.screen === screen && s.scope === scope).map((s) => s.asOf).reverse(); }
}

const clock = { now: () => new Date('2026-03-16T02:00:00Z'), today: () => '2026-03-16' };
const { access, token } = testAccess();
const staff = token(STAFF);
/** A request as staff (access control has its own tests). */
const ask = async (app: ReturnType<typeof createApp>, path: string, init?: RequestInit) => app.request(path, withToken(await staff, init));

describe('API reads', () => {
  it('answers repeated snapshot reads from memory within the cache time, and from the store without one', async () => {
    const store = new CountingStore();
    // The cache keeps time by the injected clock, never by Date.now: this one moves when the test says.
    let now = Date.parse('2026-03-16T02:00:00Z');
    const moving = { now: () => new Date(now), today: () => '2026-03-16' };
    {
      const app = createApp({ snapshots: store, clock: moving, version: 't', access, snapshotCacheMs: 15_000 });
      for (let i = 0; i < 5; i++) expect((await ask(app, '/api/screens/campus')).status).toBe(200);
      expect(store.reads).toBe(2); // one latest, one list of as-of dates
      // A new night's snapshot shows once the cache time has passed.
      await store.put(stored('2026-03-16', '2026-03-17T01:00:00Z', 2));
      expect(((await (await ask(app, '/api/screens/campus')).json()) as { asOf: string }).asOf).toBe('2026-03-15');
      now += 15_001;
      expect(((await (await ask(app, '/api/screens/campus')).json()) as { asOf: string }).asOf).toBe('2026-03-16');
    }
    const uncached = new CountingStore();
    const app = createApp({ snapshots: uncached, clock, version: 't', access });
    for (let i = 0; i < 3; i++) await ask(app, '/api/screens/campus');
    expect(uncached.reads).toBe(6);
  });

  it('lets a display revalidate the alert list: 304 while nothing changed, 200 after an acknowledgement', async () => {
    const alert = { id: 'r|e|2026-03', ruleId: 'r', owner: 'finance', entity: 'e', entityZh: 'e', entityEn: 'e', departmentId: null, period: '2026-03', severity: 'P2', state: 'open', version: 1,
      zh: '甲', en: 'a', evidence: {}, link: null, firstSeen: '2026-03-15', lastSeen: '2026-03-15', updatedAt: 'x', history: [] } as AlertRecord;
    const records = [alert];
    const alerts = { list: async () => records.map((a) => ({ ...a })) } as unknown as AlertStore;
    const app = createApp({ snapshots: new CountingStore(), alerts, alertRules: [], clock, version: 't', access });
    const first = await ask(app, '/api/alerts');
    const etag = first.headers.get('ETag')!;
    expect(etag).toMatch(/^"alerts-/);
    expect((await ask(app, '/api/alerts', { headers: { 'If-None-Match': etag } })).status).toBe(304);
    records[0] = { ...alert, state: 'acknowledged', version: 2 };
    const changed = await ask(app, '/api/alerts', { headers: { 'If-None-Match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('ETag')).not.toBe(etag);
  });

  it('answers repeated alert lists from memory, forgets them on an acknowledgement through the API, and shows a night\'s new alerts after the cache time', async () => {
    const open = (id: string, version = 1) => ({ id, ruleId: 'r', owner: 'finance', entity: id, entityZh: id, entityEn: id, departmentId: null, period: '2026-03', severity: 'P2', state: 'open', version,
      zh: '甲', en: 'a', evidence: {}, link: null, firstSeen: '2026-03-15', lastSeen: '2026-03-15', updatedAt: 'x', history: [] }) as AlertRecord;
    const records = new Map<string, AlertRecord>([['a', open('a')]]);
    let scans = 0;
    const alerts = {
      list: async (f: { state?: string }) => (scans++, [...records.values()].filter((a) => !f.state || a.state === f.state).map((a) => ({ ...a }))),
      get: async (id: string) => records.get(id),
      put: async (a: AlertRecord) => void records.set(a.id, a),
    } as unknown as AlertStore;
    let now = Date.parse('2026-03-16T02:00:00Z');
    const moving = { now: () => new Date(now), today: () => '2026-03-16' };
    {
      const app = createApp({ snapshots: new CountingStore(), alerts, alertRules: [], clock: moving, version: 't', access, alertCacheMs: 5_000 });
      const total = async (path = '/api/alerts?state=open') => ((await (await ask(app, path)).json()) as { total: number }).total;
      for (let i = 0; i < 4; i++) expect(await total()).toBe(1);
      expect(scans).toBe(1);
      // Another filter is another list.
      expect(await total('/api/alerts')).toBe(1);
      expect(scans).toBe(2);
      // An acknowledgement through the API: the open list is read again at once, and the alert has left it.
      expect((await ask(app, '/api/alerts/a/ack', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ version: 1 }) })).status).toBe(200);
      expect(await total()).toBe(0);
      expect(scans).toBe(3);
      // The night's aggregate (another process) adds an alert: it shows once the cache time has passed.
      records.set('b', open('b'));
      expect(await total()).toBe(0);
      now += 5_001;
      expect(await total()).toBe(1);
      expect(scans).toBe(4);
    }
  });
});

describe('the one cache mechanism (Memo)', () => {
  it('keeps by the clock, pushes out the least recently used, and forgets a failed load', async () => {
    let now = 0;
    const memo = new Memo({ now: () => new Date(now), today: () => '2026-03-16' }, { ttlMs: 1000, max: 2 });
    let loads = 0;
    const load = (v: string) => () => (loads++, Promise.resolve(v));
    expect(await memo.get('a', load('A'))).toBe('A');
    expect(await memo.get('b', load('B'))).toBe('B');
    expect(await memo.get('a', load('A2'))).toBe('A'); // a is now the most recently used
    expect(await memo.get('c', load('C'))).toBe('C'); // pushes out b, not a
    expect(loads).toBe(3);
    expect(await memo.get('a', load('A3'))).toBe('A');
    expect(await memo.get('b', load('B2'))).toBe('B2');
    expect(loads).toBe(4);
    now = 1000; // a's time is up (kept until 1000, exclusive)
    expect(memo.has('a')).toBe(false);
    expect(await memo.get('a', load('A4'))).toBe('A4');
    // A failure is not kept: the next ask loads again.
    await expect(memo.get('x', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await memo.get('x', load('X'))).toBe('X');
    // ttl 0: never kept.
    const never = new Memo({ now: () => new Date(0), today: () => '' }, { ttlMs: 0, max: 9 });
    let n = 0;
    await never.get('k', async () => n++);
    await never.get('k', async () => n++);
    expect(n).toBe(2);
  });
});
