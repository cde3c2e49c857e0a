/** How the tablet names a budget line's status, an indicator's comparison and an alert's severity. */
import type { AlertRecord, BudgetLineView, IndicatorView } from '../../../functions/api/contract.ts';
import { type Lang } from '../lib/format';
import { t } from '../lib/i18n';

export const SEVERITY_ICON = { P1: '✖', P2: '▲', P3: '●' } as const;

export const statusIcon = (s: BudgetLineView['status']): string => (s === 'critical' ? '✖' : s === 'warn' ? '▲' : '✓');

export const statusText = (s: BudgetLineView['status'], lang: Lang): string =>
  s === 'critical' ? t('tablet.critical', lang) : s === 'warn' ? t('tablet.warning', lang) : t('tablet.onTrack', lang);

export const vsText = (v: IndicatorView['vsMedian'], lang: Lang): string =>
  v === 'better' ? t('tablet.betterThanMedian', lang)
    : v === 'worse' ? t('tablet.worseThanMedian', lang)
      : v === 'level' ? t('tablet.levelWithMedian', lang) : t('tablet.noBetterWorse', lang);

/** What the detail sheet shows: a budget line, an indicator, or an alert. */
export type Sheet = { kind: 'budget'; line: BudgetLineView } | { kind: 'indicator'; ind: IndicatorView } | { kind: 'alert'; alert: AlertRecord };
