/** The rule registry: every catalogue rule has an evaluator; the families' rules are in tests/unit/alert-rules/. */
import { describe, expect, it } from 'vitest';
import { EVALUATORS, evaluateRules } from '../../functions/domain/alert-rules.ts';
import { loadAlertCatalogue } from '../../functions/domain/alerts.ts';
import { SHIPPED, RULES, inputs } from '../support/alert-inputs.ts';

describe('the catalogue', () => {
  it('ships seventeen rules, each with an evaluator, parameters and an owner', () => {
    expect(RULES).toHaveLength(17);
    for (const r of RULES) expect(EVALUATORS[r.id], r.id).toBeDefined();
    expect(() => evaluateRules(RULES, inputs())).not.toThrow();
  });
  it('takes a hospital\'s overrides and refuses unknown rules and parameters', () => {
    const changed = loadAlertCatalogue(SHIPPED, 'x', { rules: { bed_occupancy_low: { enabled: false }, drug_use_growth: { params: { growth: 0.3 }, severity: 'P1' } } }, 'config/alert-rules.json');
    expect(changed.find((r) => r.id === 'bed_occupancy_low')!.enabled).toBe(false);
    expect(changed.find((r) => r.id === 'drug_use_growth')).toMatchObject({ severity: 'P1', params: { growth: 0.3, floor: 500, windowDays: 30 } });
    expect(evaluateRules(changed, inputs()).results.map((r) => r.rule.id)).not.toContain('bed_occupancy_low');
    expect(() => loadAlertCatalogue(SHIPPED, 'x', { rules: { nope: { enabled: false } } }, 'o.json')).toThrow(/no rule "nope"/);
    expect(() => loadAlertCatalogue(SHIPPED, 'x', { rules: { drug_use_growth: { params: { growht: 1 } } } }, 'o.json')).toThrow(/has no parameter "growht"/);
    expect(() => loadAlertCatalogue({ version: '1', rules: [{ ...SHIPPED.rules[0], severity: 'P9' }] }, 'bad.json')).toThrow(/invalid alert rule catalogue bad.json: rules.0.severity/);
  });
});
