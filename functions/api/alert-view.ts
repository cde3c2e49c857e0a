/**
 * What a wall display may receive of an alert: never a patient or case identifier (lobby screens rotate in public).
 * The id becomes an opaque hash (it holds the entity), the texts become the finding's `wall` texts (or, for an older
 * record of a patient-level rule without them, the rule's name and period), and evidence, link and history go.
 */
import { createHash } from 'node:crypto';
import type { AlertRule } from '../domain/alerts.ts';
import { PATIENT_LEVEL_RULES } from '../domain/alert-rules.ts';
import type { AlertRecord } from '../ports.ts';

export function wallAlert(a: AlertRecord, rules: readonly AlertRule[]): AlertRecord {
  const rule = rules.find((r) => r.id === a.ruleId);
  const patientLevel = PATIENT_LEVEL_RULES.has(a.ruleId);
  const text = a.wall ?? (patientLevel
    ? { zh: `${rule?.zh ?? a.ruleId}（${a.period}）`, en: `${rule?.en ?? a.ruleId} (${a.period})` }
    : { zh: a.zh, en: a.en });
  return {
    id: `w-${createHash('sha256').update(a.id).digest('base64url').slice(0, 16)}`,
    ruleId: a.ruleId, owner: a.owner, entity: '',
    entityZh: patientLevel ? '' : a.entityZh, entityEn: patientLevel ? '' : a.entityEn,
    departmentId: a.departmentId, period: a.period, severity: a.severity, state: a.state, version: a.version,
    zh: text.zh, en: text.en, evidence: {}, link: null,
    firstSeen: a.firstSeen, lastSeen: a.lastSeen, updatedAt: a.updatedAt, history: [],
  };
}
