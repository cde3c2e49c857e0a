/** Whether a change is good or bad news depends on the KPI's direction (a rise in drug share is bad). */
import type { KpiDefinition } from '../../../functions/api/contract.ts';

export type Tone = 'good' | 'bad' | 'neutral';

export function changeTone(def: Pick<KpiDefinition, 'direction'>, change: number | null): Tone {
  if (change === null || change === 0 || !Number.isFinite(change)) return 'neutral';
  if (def.direction === 'higher_better') return change > 0 ? 'good' : 'bad';
  if (def.direction === 'lower_better') return change < 0 ? 'good' : 'bad';
  return 'neutral';
}

export function bandStatus(def: KpiDefinition, value: number | null): 'in' | 'above' | 'below' | undefined {
  if (!def.band || value === null) return undefined;
  return value > def.band.high ? 'above' : value < def.band.low ? 'below' : 'in';
}
