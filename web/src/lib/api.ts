/** The screens' API client: ETag revalidation and an honest count of failed fetches (never navigator.onLine). */
import { authHeaders, toSignIn } from './auth';
import type { AuditResponse, ChargesResponse, DemoUsersResponse, ExploreDetailResponse, ExploreResponse, MeResponse, SignInResponse } from '../../../functions/api/contract.ts';
import type { AlertRecord, AlertsResponse, ApiError, BudgetLinesResponse, BudgetScreenResponse, CampusScreenResponse, DepartmentResponse, DisplayResponse, CatalogResponse, DrgExploreLevel, DrgExploreResponse, DrgScreenResponse, QualityResponse, RejectsResponse } from '../../../functions/api/contract.ts';

export class ApiFailure extends Error {
  constructor(readonly status: number, readonly body?: ApiError) {
    super(body ? `${body.error.zh} / ${body.error.en}` : `HTTP ${status}`);
  }
}

/** What to tell the user about a failed call: the API's own message in their language, else the error as it is. */
export const errorText = (e: unknown, lang: 'zh' | 'en'): string => (e instanceof ApiFailure && e.body ? (lang === 'zh' ? e.body.error.zh : e.body.error.en) : String(e));

interface Cached<T> {
  etag: string | null;
  value: T;
}

const cache = new Map<string, Cached<unknown>>();

/**
 * A 401 sends a person to the sign-in page; a wall display (no one to sign in) keeps its last screen and says why.
 */
async function failure(res: Response): Promise<ApiFailure> {
  const body = (await res.json().catch(() => undefined)) as ApiError | undefined;
  if (res.status === 401 && !location.pathname.startsWith('/kiosk') && !location.pathname.startsWith('/signin')) toSignIn();
  return new ApiFailure(res.status, body);
}

async function getJson<T>(path: string): Promise<T> {
  const cached = cache.get(path) as Cached<T> | undefined;
  const res = await fetch(path, { headers: { ...authHeaders(), ...(cached?.etag ? { 'If-None-Match': cached.etag } : {}) } });
  if (res.status === 304 && cached) return cached.value;
  if (!res.ok) throw await failure(res);
  const value = (await res.json()) as T;
  cache.set(path, { etag: res.headers.get('ETag'), value });
  return value;
}

/** The last value fetched from `path`, if any: a screen mounted again (a playlist's next turn) starts from it, without a blank frame. */
export const peekJson = <T>(path: string): T | undefined => (cache.get(path) as Cached<T> | undefined)?.value;

/** Forgets every cached response (the kiosk's watchdog: a screen that failed on a response must not start from it again). */
export const forgetCached = (): void => cache.clear();

export const fetchCatalog = (): Promise<CatalogResponse> => getJson('/api/catalog');

/** The API path of a wall screen's snapshot. */
export function screenPath(screen: 'campus' | 'drg' | 'budget' | 'budget-lines', scope = 'hospital', asOf?: string): string {
  const q = new URLSearchParams({ scope });
  if (asOf) q.set('asOf', asOf);
  return `/api/screens/${screen}?${q}`;
}

export const fetchCampusScreen = (scope: string, asOf?: string): Promise<CampusScreenResponse> => getJson(screenPath('campus', scope, asOf));

export function fetchQuality(date?: string): Promise<QualityResponse> {
  return getJson(date ? `/api/quality?date=${encodeURIComponent(date)}` : '/api/quality');
}

export function fetchRejects(table: string, date: string, offset: number, limit: number): Promise<RejectsResponse> {
  const q = new URLSearchParams({ table, date, offset: String(offset), limit: String(limit) });
  return getJson(`/api/quality/rejects?${q}`);
}

export const rejectsCsvUrl = (table: string, date: string): string => `/api/quality/rejects?${new URLSearchParams({ table, date, format: 'csv' })}`;

export const fetchDrgScreen = (scope: string, asOf?: string): Promise<DrgScreenResponse> => getJson(screenPath('drg', scope, asOf));

export const fetchBudgetScreen = (asOf?: string): Promise<BudgetScreenResponse> => getJson(screenPath('budget', 'hospital', asOf));

export const fetchBudgetLines = (asOf?: string): Promise<BudgetLinesResponse> => getJson(screenPath('budget-lines', 'hospital', asOf));

export const fetchDisplay = (id: string): Promise<DisplayResponse> => getJson(`/api/displays/${encodeURIComponent(id)}`);

export function fetchDepartment(id: string, asOf?: string): Promise<DepartmentResponse> {
  return getJson(`/api/departments/${encodeURIComponent(id)}${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`);
}

/** The DRG explorer's state, exactly as it travels in the page URL and to the API. */
export interface DrgExploreParams {
  level?: DrgExploreLevel;
  from?: string;
  to?: string;
  drg?: string;
  department?: string;
  doctorGroup?: string;
  outlier?: 'high' | 'low';
}

export const DRG_EXPLORE_KEYS = ['level', 'from', 'to', 'drg', 'department', 'doctorGroup', 'outlier'] as const satisfies readonly (keyof DrgExploreParams)[];

export function drgExploreUrl(q: DrgExploreParams & { format?: 'csv' }): string {
  const p = new URLSearchParams();
  for (const k of [...DRG_EXPLORE_KEYS, 'format'] as const) {
    const v = q[k];
    if (v) p.set(k, v);
  }
  return `/api/explore/drg?${p}`;
}

export const fetchDrgExplore = (q: DrgExploreParams): Promise<DrgExploreResponse> => getJson(drgExploreUrl(q));

export interface AlertQuery {
  state?: 'open' | 'acknowledged' | 'resolved';
  severity?: 'P1' | 'P2' | 'P3';
  owner?: string;
  department?: string;
  rule?: string;
  limit?: number;
  /** A wall's list: no patient or case identifiers. */
  view?: 'wall';
}

export const ALERT_KEYS = ['state', 'severity', 'owner', 'department', 'rule'] as const satisfies readonly (keyof AlertQuery)[];

export function alertsPath(q: AlertQuery): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
  return `/api/alerts?${p}`;
}

export const fetchAlerts = (q: AlertQuery): Promise<AlertsResponse> => getJson(alertsPath(q));

/** Acknowledges or resolves an alert; the API records the signed-in person as who acted. */
export async function actOnAlert(id: string, action: 'ack' | 'resolve', body: { note?: string; version: number }): Promise<AlertRecord> {
  const res = await fetch(`/api/alerts/${encodeURIComponent(id)}/${action}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...authHeaders() }, body: JSON.stringify(body) });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as AlertRecord;
}

export const fetchMe = (): Promise<MeResponse> => getJson('/api/me');

export const fetchDemoUsers = (): Promise<DemoUsersResponse> => getJson('/api/auth/demo-users');

export async function demoSignIn(user: string): Promise<SignInResponse> {
  const res = await fetch('/api/auth/demo-signin', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user }) });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as SignInResponse;
}

export const fetchAudit = (from: string, to: string): Promise<AuditResponse> => getJson(`/api/audit?${new URLSearchParams({ from, to })}`);

/** Downloads an export with the bearer token (a plain link cannot carry it), under the file name the API gives. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const res = await fetch(path, { headers: authHeaders() });
  if (!res.ok) throw await failure(res);
  const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const fetchExplore = (path: string): Promise<ExploreResponse> => getJson(path);
export const fetchExploreDetail = (path: string): Promise<ExploreDetailResponse> => getJson(path);

/** The charge-lines explorer's state, exactly as it travels in the page URL and to the API. */
export interface ChargesView {
  from?: string | undefined;
  to?: string | undefined;
  by: 'item' | 'day' | 'month' | 'patient' | 'department' | 'category' | 'source' | 'lines';
  department?: string | undefined;
  item?: string | undefined;
  patient?: string | undefined;
  category?: string | undefined;
  source?: string | undefined;
  /** The groups' order: largest amount first (default), or most patient-days over the daily limit first. */
  sort?: 'over' | undefined;
  offset: number;
}

/** The charge-lines page's filters (the API's `CHARGE_FILTERS`), then its page keys. */
export const CHARGE_FILTER_KEYS = ['department', 'item', 'patient', 'category', 'source'] as const;
const CHARGE_KEYS = ['from', 'to', ...CHARGE_FILTER_KEYS] as const;
const CHARGE_GROUPS: readonly ChargesView['by'][] = ['item', 'day', 'month', 'patient', 'department', 'category', 'source', 'lines'];

export function readChargesView(search: string): ChargesView {
  const p = new URLSearchParams(search);
  const by = p.get('by') as ChargesView['by'] | null;
  const offset = Number(p.get('offset') ?? 0);
  const view: ChargesView = { by: by && CHARGE_GROUPS.includes(by) ? by : 'item', offset: Number.isInteger(offset) && offset > 0 ? offset : 0 };
  for (const k of CHARGE_KEYS) if (p.get(k)) view[k] = p.get(k)!;
  if (p.get('sort') === 'over') view.sort = 'over';
  return view;
}

/** The page's query for a view: filters, grouping and the lines' page. */
export function chargesViewQuery(v: ChargesView): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of CHARGE_KEYS) if (v[k]) p.set(k, v[k]!);
  p.set('by', v.by);
  if (v.sort && v.by !== 'lines') p.set('sort', v.sort);
  if (v.by === 'lines' && v.offset) p.set('offset', String(v.offset));
  return p;
}

/** The API path of a view: lines come 100 a page; an export is the whole view (the API caps it at 50,000 lines). */
export function chargesPath(v: ChargesView, format?: 'csv' | 'xlsx'): string {
  const p = chargesViewQuery(format ? { ...v, offset: 0 } : v);
  if (format) p.set('format', format);
  else if (v.by === 'lines') p.set('limit', '100');
  return `/api/explore/charges?${p}`;
}

export const fetchCharges = (path: string): Promise<ChargesResponse> => getJson(path);
