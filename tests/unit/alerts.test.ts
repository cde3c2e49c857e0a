/** The alert rule catalogue with a hospital's overrides: changes apply, mistakes name themselves, nothing is ignored. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertId, loadAlertCatalogue } from '../../functions/domain/alerts.ts';

const SHIPPED = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'data', 'alert-rules.json'), 'utf8'));

describe('alert catalogue', () => {
  it('applies a hospital\'s switches, severities and thresholds', () => {
    const rules = loadAlertCatalogue(SHIPPED, 'shipped', { rules: { bed_occupancy_over: { severity: 'P1', params: { threshold: 105 } }, bed_occupancy_low: { enabled: false } } }, 'config/alert-rules.json');
    expect(rules.find((r) => r.id === 'bed_occupancy_over')).toMatchObject({ severity: 'P1', params: { threshold: 105 } });
    expect(rules.find((r) => r.id === 'bed_occupancy_low')!.enabled).toBe(false);
    expect(rules).toHaveLength(SHIPPED.rules.length);
  });
  it('refuses an unknown rule or parameter, naming the file', () => {
    expect(() => loadAlertCatalogue(SHIPPED, 'shipped', { rules: { no_such_rule: { enabled: false } } }, 'config/alert-rules.json')).toThrow(/config\/alert-rules\.json: no rule "no_such_rule"/);
    expect(() => loadAlertCatalogue(SHIPPED, 'shipped', { rules: { bed_occupancy_over: { params: { treshold: 1 } } } }, 'c.json')).toThrow(/has no parameter "treshold"/);
    expect(() => loadAlertCatalogue({ version: '1', rules: [] }, 'broken.json')).toThrow(/invalid alert rule catalogue broken\.json/);
  });
  it('identifies an alert by rule, entity and period', () => {
    expect(alertId({ ruleId: 'r', entity: 'W1', period: '2026-03' })).toBe('r|W1|2026-03');
  });
});
