/** Exports of exactly what the explorer shows: the table as displayed (same digits), with a sheet saying what it is. */
import { DIMENSION_NAMES } from '../../domain/kpis/facts.ts';
import type { Kpi } from '../../domain/kpis/model.ts';
import { UNITS, unitName, type KpiUnit } from '../../domain/kpis/units.ts';
import { csvDocument } from '../export.ts';
import type { ExploreDetailResponse, ExploreRow } from '../contract.ts';
import { xlsxWorkbook, type Cell } from '../xlsx.ts';
import type { ExploreAnswer } from './answer.ts';

const scaleOf = (unit: KpiUnit, money: 'yuan' | 'wan'): number => (UNITS[unit].money && money === 'wan' ? 10_000 : 1);
const round = (x: number | null, digits: number): number | null => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

/** The table the explorer shows: header and rows, values in the chosen money unit, rounded as displayed. */
export function exploreTable(a: ExploreAnswer, money: 'yuan' | 'wan'): Cell[][] {
  const unit = unitName(a.kpi.unit, money);
  const scale = scaleOf(a.kpi.unit, money);
  const digits = a.kpi.digits;
  const ratio = a.kpi.kind === 'ratio';
  const dim = a.dimension === 'total' ? { zh: '范围', en: 'Scope' } : DIMENSION_NAMES[a.dimension];
  const header: Cell[] = [`${dim.zh}编码 ${dim.en} code`, `${dim.zh} ${dim.en}`, `${a.kpi.zh}（${unit.zh}） ${a.kpi.en} (${unit.en})`];
  if (ratio) header.push('分子 Numerator', '分母 Denominator');
  else header.push('占比 Share');
  if (a.comparison) {
    header.push(`${a.comparison.zh.replace(/（.*$/, '')} ${a.comparison.en.replace(/ \(.*$/, '')}`);
    header.push(a.comparison.changeKind === 'relative' ? '变化率 Change (%)' : a.comparison.changeKind === 'points' ? '变化（百分点） Change (points)' : '差值 Difference');
  }
  const line = (x: ExploreRow): Cell[] => {
    const out: Cell[] = [x.key, x.zh === x.en ? x.zh : `${x.zh} ${x.en}`, round(x.value === null ? null : x.value / scale, digits)];
    if (ratio) out.push(round(x.numerator, 2), round(x.denominator, 2));
    else out.push(round(x.share === null ? null : x.share * 100, 2));
    if (a.comparison) {
      out.push(round(x.compare === null ? null : x.compare / scale, digits));
      out.push(round(x.change === null ? null : a.comparison.changeKind === 'relative' ? x.change * 100 : x.change / (a.comparison.changeKind === 'difference' ? scale : 1), 2));
    }
    return out;
  };
  return [header, ...a.rows.map(line), line({ ...a.total, key: null })];
}

export function detailTable(d: ExploreDetailResponse): Cell[][] {
  return [d.columns.map((c) => `${c.zh} ${c.en}`), ...d.rows.map((r) => d.columns.map((c) => r[c.key] ?? null))];
}

function metadata(rows: [string, Cell][]): Cell[][] {
  return [['项目 Item', '内容 Value'], ...rows.map(([k, v]): Cell[] => [k, v])];
}

export function exploreMetadata(a: ExploreAnswer, money: 'yuan' | 'wan', generatedAt: string, by: string): Cell[][] {
  const unit = unitName(a.kpi.unit, money);
  return metadata([
    ['指标 KPI', `${a.kpi.zh} ${a.kpi.en} (${a.kpi.id})`],
    ['口径 Definition', `${a.kpi.definitionZh} ${a.kpi.definitionEn}`],
    ['单位 Unit', `${unit.zh} ${unit.en}`],
    ['方向 Direction', a.kpi.direction],
    ['来源 Source', `${a.kpi.source} (${a.kpi.ruleDate})`],
    ['分解维度 Breakdown', a.dimension === 'total' ? '合计 Total' : `${DIMENSION_NAMES[a.dimension].zh} ${DIMENSION_NAMES[a.dimension].en}`],
    ['期间 Period', `${a.period.zh} ${a.period.en}: ${a.period.from} – ${a.period.dataTo}${a.period.partial ? ` (未结束 partial: ${a.period.days}/${a.period.daysInPeriod})` : ''}`],
    ['对比 Comparison', a.comparison ? `${a.comparison.zh} ${a.comparison.en}` : '无 None'],
    ['筛选 Filters', a.filters.length ? a.filters.map((f) => `${DIMENSION_NAMES[f.filter].zh} ${f.filter}=${f.value} (${f.zh})`).join('; ') : '全院 Whole hospital'],
    ['数据截至 Data as of', a.asOf],
    ['行数 Rows', a.rows.length],
    ['截断 Truncated', a.truncated ? '是 yes' : '否 no'],
    ['说明 Notes', a.warnings.map((w) => `${w.zh} / ${w.en}`).join('\n')],
    ['导出时间 Exported at', generatedAt],
    ['导出人 Exported by', by],
  ]);
}

export function detailMetadata(d: ExploreDetailResponse, kpi: Kpi, generatedAt: string, by: string): Cell[][] {
  return metadata([
    ['指标 KPI', `${kpi.zh} ${kpi.en} (${kpi.id})`],
    ['口径 Definition', `${kpi.definitionZh} ${kpi.definitionEn}`],
    ['期间 Period', `${d.period.zh} ${d.period.en}: ${d.period.from} – ${d.period.dataTo}`],
    ['筛选 Filters', d.filters.length ? d.filters.map((f) => `${DIMENSION_NAMES[f.filter].zh} ${f.filter}=${f.value} (${f.zh})`).join('; ') : '全院 Whole hospital'],
    ['数据截至 Data as of', d.asOf],
    ['行 Rows', `${d.offset + 1}–${d.offset + d.rows.length} / ${d.total}`],
    ['导出时间 Exported at', generatedAt],
    ['导出人 Exported by', by],
  ]);
}

/** The table as CSV, through the one export path that neutralises formulas. */
export const toCsv = (table: Cell[][]): string => csvDocument(table);

export function toXlsx(table: Cell[][], meta: Cell[][], name: string): Uint8Array {
  return xlsxWorkbook([{ name, rows: table, widths: table[0]!.map((h) => Math.min(40, Math.max(12, String(h).length))) }, { name: '说明 About', rows: meta, widths: [24, 100] }]);
}
