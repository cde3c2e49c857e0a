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

export interface CampusSnapshotData extends CampusScreenData {
  scopeList: { id: string; zh: string; en: string }[];
  pipeline: PipelineStatus;
}

export interface DrgSnapshotData extends DrgScreenData {
  scopeList: { id: string; zh: string; en: string }[];
  pipeline: PipelineStatus;
}


export interface BudgetSnapshotData extends BudgetScreenData {
  pipeline: PipelineStatus;
}

export interface BudgetLinesSnapshotData extends BudgetLinesData {
  pipeline: PipelineStatus;
}

export interface DepartmentSnapshotData extends DepartmentViewData {
  pipeline: PipelineStatus;
}

/** What each screen's snapshot holds: the pipeline writes these, the API serves them, the web reads them. */
export interface SnapshotShapes {
  campus: CampusSnapshotData;
  drg: DrgSnapshotData;
  budget: BudgetSnapshotData;
  'budget-lines': BudgetLinesSnapshotData;
  department: DepartmentSnapshotData;
}
