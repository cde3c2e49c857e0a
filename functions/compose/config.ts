/**
 * The hospital's configuration in force, the same way on a laptop and on AWS: the shipped files (data/*.json), each
 * replaced by the hospital's own `config/<name>` in the object store when present (the data folder's `config/`
 * locally, the operations bucket on AWS). Each file is validated with its location and field named.
 */
import { loadAlertCatalogue, type AlertRule } from '../domain/alerts.ts';
import { parseCostModel, type CostModel } from '../domain/cost-model.ts';
import { parseDisplays, type DisplayConfig } from '../domain/displays.ts';
import { parseRoles, type RoleSpec } from '../domain/roles.ts';
import { parseTargets, type KpiTarget } from '../domain/explore.ts';
import { parseDrgRules, type DrgRules } from '../domain/drg.ts';
import type { ObjectStore } from '../ports.ts';
import alertRules from '../../data/alert-rules.json' with { type: 'json' };
import costModel from '../../data/cost-model.json' with { type: 'json' };
import displays from '../../data/displays.json' with { type: 'json' };
import roles from '../../data/roles.json' with { type: 'json' };
import targets from '../../data/targets.json' with { type: 'json' };
import shippedDrgRules from '../../data/regions/harbin-2024/drg-rules.json' with { type: 'json' };

export interface HospitalConfig {
  alertRules: AlertRule[];
  costModel: CostModel;
  displays: DisplayConfig[];
  roles: RoleSpec[];
  targets: KpiTarget[];
  /** The region's DRG rules: `config/drg-rules.json` (what `opsdeck region` loads), else the shipped demo region's. */
  drgRules: DrgRules;
  /** Whether `drgRules` are the hospital's own (`config/drg-rules.json`) rather than the shipped ones. */
  ownDrgRules: boolean;
}

/** The hospital's file `config/<name>` in the store, parsed as JSON, or undefined when it has none. */
export async function ownConfig(store: ObjectStore, name: string): Promise<{ json: unknown; source: string } | undefined> {
  const key = `config/${name}`;
  const bytes = await store.get(key);
  if (!bytes) return undefined;
  const source = store.locate(key);
  try {
    return { json: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)), source };
  } catch (e) {
    throw new Error(`无法读取配置 ${source} / cannot read the configuration ${source}: ${(e as Error).message}`);
  }
}

/** The alert rules are the shipped catalogue with the hospital's changes; the other files are replaced whole. */
export async function loadHospitalConfig(store: ObjectStore): Promise<HospitalConfig> {
  const [rules, cost, walls, access, goals, region] = await Promise.all(['alert-rules.json', 'cost-model.json', 'displays.json', 'roles.json', 'targets.json', 'drg-rules.json'].map((name) => ownConfig(store, name)));
  return {
    alertRules: loadAlertCatalogue(alertRules, 'data/alert-rules.json', rules?.json, rules?.source),
    costModel: cost ? parseCostModel(cost.json, cost.source) : parseCostModel(costModel, 'data/cost-model.json'),
    displays: walls ? parseDisplays(walls.json, walls.source) : parseDisplays(displays, 'data/displays.json'),
    roles: access ? parseRoles(access.json, access.source) : parseRoles(roles, 'data/roles.json'),
    targets: goals ? parseTargets(goals.json, goals.source) : parseTargets(targets, 'data/targets.json'),
    drgRules: region ? parseDrgRules(region.json, region.source) : parseDrgRules(shippedDrgRules, 'data/regions/harbin-2024/drg-rules.json'),
    ownDrgRules: region !== undefined,
  };
}
