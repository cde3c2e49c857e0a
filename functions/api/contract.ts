/** Response types of the HTTP API; the web imports these as types only. */
export type { BudgetLinesSnapshotData, BudgetSnapshotData, CampusSnapshotData, DepartmentSnapshotData, DrgSnapshotData, PipelineStatus, ScreenId, SnapshotShapes } from '../domain/screens.ts';
import type { BudgetLinesSnapshotData, BudgetSnapshotData, CampusSnapshotData, DepartmentSnapshotData, DrgSnapshotData } from '../domain/screens.ts';
export type { DrgScreenData, DrgScope, DrgGroupRow, DrgQuadrantPoint, DrgTrendPoint } from '../domain/drg-screen.ts';
export type { DrgMetrics, CostCategory } from '../domain/drg.ts';
import type { CostCategory, DrgMetrics, Outlier, RiskTier } from '../domain/drg.ts';
import type { KpiDefinition } from '../domain/kpis/model.ts';

export type { CampusScope, CampusScreenData, Comparison, KpiTile, Period } from '../domain/campus-screen.ts';
export type { KpiDefinition, KpiDirection, KpiFormula, KpiUnit } from '../domain/kpis/model.ts';
export type { QualityAssessment, QualityIssue, QualityStatus, SourceQuality, SourceNight, Severity } from '../domain/data-quality.ts';
import type { QualityAssessment } from '../domain/data-quality.ts';
import type { RejectRow } from '../domain/ingest-report.ts';
export type { RejectRow } from '../domain/ingest-report.ts';

export type DrgScreenResponse = ScreenResponse<DrgSnapshotData>;

export type { AllocationRow, BudgetLinesData, BudgetScreenData, BudgetLineView, BudgetTotals, DepartmentViewData, WorkloadTile, CompositionRow, IndicatorView, DepartmentBalanceRow, CostReconciliation } from '../domain/finance-model.ts';
export type { BudgetStatus, BudgetThresholds, BudgetAdjustment } from '../domain/budget.ts';
export type { UnitCosts } from '../domain/cost-model.ts';

export type BudgetScreenResponse = ScreenResponse<BudgetSnapshotData>;

export type BudgetLinesResponse = ScreenResponse<BudgetLinesSnapshotData>;

export type DepartmentResponse = ScreenResponse<DepartmentSnapshotData>;

export interface ScreenResponse<T> {
  screen: string;
  scope: string;
  asOf: string;
  generatedAt: string;
  /** Server time of this response, to compute staleness without trusting the device clock. */
  servedAt: string;
  /** Snapshot as-of dates available for this scope, newest first. */
  available: string[];
  data: T;
}

export type CampusScreenResponse = ScreenResponse<CampusSnapshotData>;

export interface QualityResponse extends QualityAssessment {
  servedAt: string;
  /** Nights with an ingest report, newest first (for the date picker). */
  available: string[];
}

export interface RejectsResponse {
  table: string;
  date: string;
  total: number;
  offset: number;
  rows: RejectRow[];
}

export interface CatalogResponse {
  kpis: KpiDefinition[];
}

import type { Grants, Principal } from '../domain/roles.ts';
import type { AuditEntry } from '../ports.ts';

export interface HealthResponse {
  status: 'ok';
  servedAt: string;
  version: string;
}

/** Who is signed in, what their roles let them do, and where each role lands. */
export interface MeResponse {
  principal: Principal;
  grants: Grants;
  roles: { id: string; zh: string; en: string; home: string }[];
}

export interface DemoUsersResponse {
  users: { id: string; name: string; zh: string; en: string; roles: string[]; departments: string[] }[];
  roles: { id: string; zh: string; en: string; home: string }[];
}

export interface SignInResponse {
  token: string;
  expiresAt: string;
  principal: Principal;
}

export interface AuditResponse {
  from: string;
  to: string;
  /** Newest first. */
  entries: AuditEntry[];
}

/** Every error the API answers: a stable code, zh-CN and English, and where (file, line, field) when it is about something given. */
export interface ApiError {
  error: { code: string; zh: string; en: string; file?: string; line?: number; field?: string };
}

export type DrgExploreLevel = 'group' | 'department' | 'doctor_group' | 'case';

export interface DrgExploreRow {
  id: string;
  zh: string;
  en: string;
  cases: number;
  cmi: number | null;
  weight: number | null;
  payment: number;
  cost: number;
  pnl: number;
  margin: number | null;
  avgCost: number | null;
  avgLos: number | null;
  benchmarkCost: number | null;
  benchmarkLos: number | null;
  costIndex: number | null;
  timeIndex: number | null;
  highOutliers: number;
  lowOutliers: number;
  /** Average charges per case by category. */
  perCase: Record<CostCategory, number>;
}

export interface DrgCaseRow {
  caseId: string;
  dischargeDate: string;
  departmentId: string;
  doctorGroupId: string;
  drgCode: string | null;
  groupName: string | null;
  weight: number | null;
  insuranceType: string;
  losDays: number;
  benchmarkLos: number | null;
  feeTotal: number;
  benchmarkCost: number | null;
  ratio: number | null;
  payment: number | null;
  pnl: number | null;
  outlier: Outlier | null;
  outcome: string;
  riskTier: RiskTier | null;
  fees: Record<CostCategory, number>;
}

export interface DrgExploreResponse {
  asOf: string;
  from: string;
  to: string;
  level: DrgExploreLevel;
  filters: { drg?: string; department?: string; doctorGroup?: string; outlier?: Outlier };
  total: DrgMetrics;
  rows: DrgExploreRow[];
  cases: DrgCaseRow[];
  /**
   * The display limit cut the rows (or cases) listed: `rowsTotal` is how many there are. The figures (`total`, each row)
   * always come from every case of the range; a range over the explorer's case cap is refused (422), never summed in part.
   */
  truncated: boolean;
  rowsTotal: number;
}


export type { AlertRecord, AlertState } from '../ports.ts';
import type { AlertRecord } from '../ports.ts';

export interface AlertRuleSummary {
  id: string;
  zh: string;
  en: string;
  owner: string;
  severity: 'P1' | 'P2' | 'P3';
  nature: 'suspect' | 'confirmed';
  enabled: boolean;
  logicZh: string;
  logicEn: string;
  basis: string;
  params: Record<string, number>;
}

export interface AlertsResponse {
  servedAt: string;
  /** Alerts matching the filters (the list may be cut at `limit`). */
  total: number;
  /** Counts over all `total` alerts, not only the ones listed: what a board's tiles show. */
  counts: { severity: Record<'P1' | 'P2' | 'P3', number>; owner: Record<string, number> };
  alerts: AlertRecord[];
  rules: AlertRuleSummary[];
  owners: Record<string, { zh: string; en: string }>;
}

export type { DisplayConfig, DisplaySlide, WallScreen } from '../domain/displays.ts';
import type { DisplayConfig } from '../domain/displays.ts';

export interface DisplaysResponse {
  timeZone: string;
  displays: { id: string; zh: string; en: string; slides: number }[];
}

export interface DisplayResponse {
  /** The hospital's time zone, for night dimming and the quiet-hour reload. */
  timeZone: string;
  servedAt: string;
  display: DisplayConfig;
}

// ── the analyst's explorer (GET /api/explore, GET /api/explore/detail) ──

export type { ExploreComparison, ExploreGrain } from '../domain/explore.ts';
export type { ExploreDimension, ExploreFilter, Grouping } from '../domain/kpis/facts.ts';
import type { ExploreComparison, ExploreGrain } from '../domain/explore.ts';
import type { ExploreDimension, ExploreFilter, Grouping } from '../domain/kpis/facts.ts';

export interface ExploreRow {
  /** The dimension's value (a code, a date, a month); null for rows without the attribute (outpatient revenue by ward). */
  key: string | null;
  zh: string;
  en: string;
  value: number | null;
  numerator: number;
  /** Null for flows and stocks. */
  denominator: number | null;
  /** The comparison's value (earlier period, budget to date, or target). */
  compare: number | null;
  /** Relative change for counts and money (0.05 = +5%), percentage points for percentages, value − target for targets. */
  change: number | null;
  /** Share of the total, for flows and stocks. */
  share: number | null;
}

export interface ExploreFilterName {
  filter: ExploreFilter;
  value: string;
  zh: string;
  en: string;
}

export interface ExploreResponse {
  asOf: string;
  kpi: KpiDefinition;
  dimension: Grouping;
  /** Dimensions this KPI can be broken down by, in the explorer's order. */
  dimensions: ExploreDimension[];
  /** Filters this KPI accepts. */
  filterable: ExploreFilter[];
  filters: ExploreFilterName[];
  period: { grain: ExploreGrain; date: string; from: string; to: string; dataTo: string; partial: boolean; days: number; daysInPeriod: number; zh: string; en: string };
  comparison: { kind: ExploreComparison; from: string | null; to: string | null; zh: string; en: string; changeKind: 'relative' | 'points' | 'difference' } | null;
  total: ExploreRow;
  rows: ExploreRow[];
  /** More groups than the limit, or the engine's row cap was reached. */
  truncated: boolean;
  limit: number;
  /** Notes the analyst must see: a partial period, a comparison that does not cover every row. */
  warnings: { zh: string; en: string }[];
  /** Whether the rows behind the figure can be listed (GET /api/explore/detail). */
  detail: boolean;
  cached: boolean;
  elapsedMs: number;
}

export interface ExploreColumn {
  key: string;
  zh: string;
  en: string;
  type: 'string' | 'number' | 'money' | 'date';
}

export interface ExploreDetailResponse {
  asOf: string;
  kpi: string;
  period: ExploreResponse['period'];
  filters: ExploreFilterName[];
  columns: ExploreColumn[];
  rows: Record<string, string | number | null>[];
  offset: number;
  limit: number;
  total: number;
}

// ── the charge-lines explorer (GET /api/explore/charges) ──

export interface ChargeFigures {
  lines: number;
  /** Net of refunds (negative lines). */
  quantity: number;
  amount: number;
  patients: number;
  /** Patient-item-days whose quantity exceeds the item's daily limit. */
  overLimit: number;
}

export interface ChargeGroupRow extends ChargeFigures {
  key: string;
  zh: string;
  en: string;
  /** Share of the whole filtered amount. */
  share: number | null;
}

export interface ChargeFilterName {
  filter: 'department' | 'item' | 'patient' | 'category' | 'source';
  value: string;
  zh: string;
  en: string;
}

export interface ChargeItemInfo {
  code: string;
  zh: string;
  en: string;
  category: string;
  unitPrice: number;
  dailyLimit: number | null;
}

export interface ChargesResponse {
  asOf: string;
  from: string;
  to: string;
  by: 'item' | 'day' | 'month' | 'patient' | 'department' | 'category' | 'source' | 'lines';
  /** The groups' order: largest amount first, or most patient-days over the daily limit first. */
  sort: 'amount' | 'over';
  filters: ChargeFilterName[];
  /** The filtered item from the charge-item master, when one item is filtered. */
  item: ChargeItemInfo | null;
  total: ChargeFigures;
  /** The groups in `sort` order (days and months in calendar order); empty for `lines`. */
  rows: ChargeGroupRow[];
  truncated: boolean;
  limit: number;
  /** The lines view: its columns and one page of lines. */
  columns: ExploreColumn[];
  lines: Record<string, string | number | null>[];
  /** Names of the coded values on this page of lines, by column and code. */
  names: Record<string, Record<string, { zh: string; en: string }>>;
  offset: number;
}
