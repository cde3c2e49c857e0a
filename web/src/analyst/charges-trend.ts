/**
 * The charge-lines page's trend (by day or by month): loaded only when that grouping is shown, so the page's own code
 * stays small and ECharts arrives with the chart.
 */
import type { ChargeGroupRow } from '../../../functions/api/contract.ts';
import { CHART_FONT_FAMILY, SERIES_COLOURS, type ChartOption } from '../lib/echarts';
export { default as Chart } from '../lib/Chart.svelte';

/** Quantity when one item is in view (use, as the drug-use alerts count it), else amount; patient-days over the limit marked. */
export function trendOption(rows: readonly ChargeGroupRow[], measure: 'quantity' | 'amount', names: { value: string; overLimit: string }): ChartOption {
  // The second axis only when some day is over a limit (an empty 0–1 axis says nothing).
  const over = rows.some((r) => r.overLimit > 0);
  const axisLabel = { fontFamily: CHART_FONT_FAMILY };
  return {
    animation: false, textStyle: { fontFamily: CHART_FONT_FAMILY }, tooltip: { trigger: 'axis' }, legend: { top: 0 },
    grid: { left: 72, right: over ? 56 : 24, top: 32, bottom: 32 },
    xAxis: { type: 'category', data: rows.map((r) => r.key), axisLabel },
    yAxis: [
      { type: 'value', name: names.value, axisLabel },
      ...(over ? [{ type: 'value', name: names.overLimit, minInterval: 1, splitLine: { show: false }, axisLabel }] : []),
    ],
    series: [
      { type: 'line', name: names.value, data: rows.map((r) => r[measure]), itemStyle: { color: SERIES_COLOURS[4] }, symbolSize: 6 },
      ...(over ? [{ type: 'bar', name: names.overLimit, yAxisIndex: 1, data: rows.map((r) => r.overLimit), itemStyle: { color: '#b3261e' }, barMaxWidth: 12 }] : []),
    ],
  };
}
