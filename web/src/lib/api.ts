/** The screens' API client: ETag revalidation and an honest count of failed fetches (never navigator.onLine). */
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

async function getJson<T>(path: string): Promise<T> {
  const cached = cache.get(path) as Cached<T> | undefined;
  const res = await fetch(path, { headers: cached?.etag ? { 'If-None-Match': cached.etag } : {} });
  if (res.status === 304 && cached) return cached.value;
  if (!res.ok) throw new ApiFailure(res.status, await res.json().catch(() => undefined));
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
}

export const ALERT_KEYS = ['state', 'severity', 'owner', 'department', 'rule'] as const satisfies readonly (keyof AlertQuery)[];

export function alertsPath(q: AlertQuery): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
  return `/api/alerts?${p}`;
}

export const fetchAlerts = (q: AlertQuery): Promise<AlertsResponse> => getJson(alertsPath(q));

export async function actOnAlert(id: string, action: 'ack' | 'resolve', body: { by: string; note?: string; version: number }): Promise<AlertRecord> {
  const res = await fetch(`/api/alerts/${encodeURIComponent(id)}/${action}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new ApiFailure(res.status, await res.json().catch(() => undefined));
  return (await res.json()) as AlertRecord;
}
