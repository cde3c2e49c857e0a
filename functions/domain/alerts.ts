/**
 * Early-warning rules (DOMAIN.md §7): the catalogue is data (data/alert-rules.json, overridable per hospital), each
 * rule's logic is a pure evaluator over prepared inputs, and every finding carries its evidence and a drill-down link.
 */
import { z } from 'zod';
import { zodProblems } from './config-errors.ts';

export const SEVERITIES = ['P1', 'P2', 'P3'] as const;
export type AlertSeverity = (typeof SEVERITIES)[number];
export const OWNER_OFFICES = ['medical_insurance', 'medical_affairs', 'finance', 'operations', 'nursing', 'information'] as const;
export type OwnerOffice = (typeof OWNER_OFFICES)[number];

export const OWNER_NAMES: Record<OwnerOffice, { zh: string; en: string }> = {
  medical_insurance: { zh: '医保办', en: 'Medical insurance office' },
  medical_affairs: { zh: '医务处', en: 'Medical affairs' },
  finance: { zh: '财务处', en: 'Finance' },
  operations: { zh: '运营管理部', en: 'Operations management' },
  nursing: { zh: '护理部', en: 'Nursing' },
  information: { zh: '信息中心', en: 'IT and information' },
};

const ruleSchema = z.object({
  id: z.string().regex(/^[a-z0-9_]+$/),
  zh: z.string().min(1),
  en: z.string().min(1),
  /** Contract tables (or derived figures) the rule reads. */
  inputs: z.array(z.string().min(1)).min(1),
  logicZh: z.string().min(1),
  logicEn: z.string().min(1),
  params: z.record(z.string(), z.number()),
  severity: z.enum(SEVERITIES),
  owner: z.enum(OWNER_OFFICES),
  basis: z.string().min(1),
  /** A suspect finding asks someone to look; a confirmed one states a fact. */
  nature: z.enum(['suspect', 'confirmed']),
  enabled: z.boolean(),
});
export type AlertRule = z.infer<typeof ruleSchema>;

const catalogueSchema = z.object({ version: z.string(), rules: z.array(ruleSchema).min(1) })
  .refine((c) => new Set(c.rules.map((r) => r.id)).size === c.rules.length, { message: 'rule ids must be unique' });

/** A hospital's changes to the shipped catalogue: switch rules off, change severity or thresholds. */
const overrideSchema = z.object({
  rules: z.record(z.string(), z.object({ enabled: z.boolean().optional(), severity: z.enum(SEVERITIES).optional(), params: z.record(z.string(), z.number()).optional() }).strict()),
});


/** The shipped catalogue with the hospital's overrides applied; unknown rule ids or parameters are errors, never ignored. */
export function loadAlertCatalogue(shipped: unknown, source: string, override?: unknown, overrideSource = 'override'): AlertRule[] {
  const base = catalogueSchema.safeParse(shipped);
  if (!base.success) throw new Error(`预警规则目录无效 ${source}：${zodProblems(base.error)} / invalid alert rule catalogue ${source}: ${zodProblems(base.error)}`);
  if (override === undefined) return base.data.rules;
  const o = overrideSchema.safeParse(override);
  if (!o.success) throw new Error(`预警规则配置无效 ${overrideSource}：${zodProblems(o.error)} / invalid alert rule overrides ${overrideSource}: ${zodProblems(o.error)}`);
  const byId = new Map(base.data.rules.map((r) => [r.id, r]));
  for (const [id, change] of Object.entries(o.data.rules)) {
    const rule = byId.get(id);
    if (!rule) throw new Error(`${overrideSource}：没有规则 ${id} / ${overrideSource}: no rule "${id}" (known: ${[...byId.keys()].join(', ')})`);
    for (const p of Object.keys(change.params ?? {})) {
      if (!(p in rule.params)) throw new Error(`${overrideSource}：规则 ${id} 没有参数 ${p} / ${overrideSource}: rule ${id} has no parameter "${p}" (known: ${Object.keys(rule.params).join(', ')})`);
    }
    byId.set(id, { ...rule, ...(change.enabled !== undefined ? { enabled: change.enabled } : {}), ...(change.severity ? { severity: change.severity } : {}), params: { ...rule.params, ...change.params } });
  }
  return [...byId.values()];
}

/** What a rule found: one alert per (rule, entity, period). */
export interface AlertFinding {
  ruleId: string;
  /** What the alert is about: a ward, a department, a DRG group, a case, a patient-item-day, a source table. */
  entity: string;
  entityZh: string;
  entityEn: string;
  departmentId: string | null;
  /** The day or month the condition holds for (YYYY-MM-DD or YYYY-MM). */
  period: string;
  severity: AlertSeverity;
  zh: string;
  en: string;
  /** The numbers that triggered it. */
  evidence: Record<string, number | string>;
  /** The page that shows what raised it (an analyst page, or the department's tablet page); null for none. */
  link: string | null;
  /**
   * What walls and notifications may say, when `zh`/`en` or the entity name a patient or a case: the same finding without
   * any identifier (department, item or group, day, count). Absent when the texts name no patient or case.
   */
  wall?: { zh: string; en: string };
}

/** Stable id of an alert: the same (rule, entity, period) is the same alert on every night. */
export const alertId = (f: Pick<AlertFinding, 'ruleId' | 'entity' | 'period'>): string => `${f.ruleId}|${f.entity}|${f.period}`;
