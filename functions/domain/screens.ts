/**
 * The screens the nightly aggregate writes snapshots for, one id each: what they are called and whose scope they take.
 * The API serves them by these ids; the pipeline writes them by these ids; a snapshot of another id cannot be typed.
 */
import type { CampusScreenData } from './campus-screen.ts';
import type { QualityStatus } from './data-quality.ts';
import type { DrgScreenData } from './drg-screen.ts';
import type { BudgetLinesData, BudgetScreenData, DepartmentViewData } from './finance-model.ts';
import type { Named } from './kpis/measures.ts';

export const SCREENS = {
  campus: { zh: '院区运营', en: 'campus', scope: 'campus' },
  drg: { zh: 'DRG 病种成本', en: 'DRG cost', scope: 'campus' },
  budget: { zh: '预算执行', en: 'budget', scope: 'hospital' },
  'budget-lines': { zh: '预算明细', en: 'budget lines', scope: 'hospital' },
  department: { zh: '科室', en: 'department', scope: 'department' },
} as const satisfies Record<string, Named & { scope: 'campus' | 'hospital' | 'department' }>;

export type ScreenId = keyof typeof SCREENS;
/** The screens a wall shows (every screen but a department's, which a tablet reads at /api/departments/:id). */
export type WallScreenId = Exclude<ScreenId, 'department'>;

export const isWallScreen = (id: string): id is WallScreenId => Object.hasOwn(SCREENS, id) && id !== 'department';

/** The scope of the whole hospital (every campus). */
export const HOSPITAL_SCOPE = 'hospital';

/** What the pipeline last did, so that screens can say how fresh their data is. */
export interface PipelineStatus {
  /** Newest night whose ingest finished (YYYY-MM-DD), and when. */
  lastNight: string | null;
  lastIngestFinishedAt: string | null;
  /** Rows rejected into quarantine that night. */
  rejectedRows: number;
  /** The data-quality verdict on that night, per source (the wall's freshness panel). */
  quality: {
    status: QualityStatus;
    issues: { P1: number; P2: number; P3: number };
    sources: { table: string; zh: string; en: string; status: QualityStatus; lastGoodNight: string | null }[];
  } | null;
}

/**
 * The version of the snapshots' shapes. A snapshot written by an older OpsDeck (a tile without its KPI id, occupancy
 * as a fraction) is refused by the API with a clear error, never shown; `opsdeck aggregate` (or the next night)
 * writes it anew. Raise it whenever a snapshot's shape or a figure's scale changes.
 */
export const SNAPSHOT_SCHEMA = 2;

/** What every snapshot carries besides its screen's data: its shape's version and the pipeline's status. */
export interface SnapshotBase {
  schema: number;
  pipeline: PipelineStatus;
}

export const isCurrentSnapshot = (data: unknown): boolean => (data as { schema?: unknown } | null)?.schema === SNAPSHOT_SCHEMA;

export interface CampusSnapshotData extends CampusScreenData, SnapshotBase {
  scopeList: { id: string; zh: string; en: string }[];
}

export interface DrgSnapshotData extends DrgScreenData, SnapshotBase {
  scopeList: { id: string; zh: string; en: string }[];
}

export interface BudgetSnapshotData extends BudgetScreenData, SnapshotBase {}

export interface BudgetLinesSnapshotData extends BudgetLinesData, SnapshotBase {}

export interface DepartmentSnapshotData extends DepartmentViewData, SnapshotBase {}

/** What each screen's snapshot holds: the pipeline writes these, the API serves them, the web reads them. */
export interface SnapshotShapes {
  campus: CampusSnapshotData;
  drg: DrgSnapshotData;
  budget: BudgetSnapshotData;
  'budget-lines': BudgetLinesSnapshotData;
  department: DepartmentSnapshotData;
}
