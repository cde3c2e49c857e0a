/** Screen text, zh-CN first. */
import type { Lang } from './format';

const TEXT = {
  title: { zh: '院区运营大屏', en: 'Campus Operations' },
  product: { zh: '运营决策舱', en: 'OpsDeck' },
  dataAsOf: { zh: '数据截至', en: 'Data as of' },
  monthToDate: { zh: '本月累计', en: 'Month to date' },
  partial: { zh: '（月未结束）', en: ' (month in progress)' },
  lastIngest: { zh: '最近导入', en: 'Last ingest' },
  generated: { zh: '快照生成', en: 'Snapshot built' },
  yoy: { zh: '同比', en: 'YoY' },
  mom: { zh: '环比', en: 'MoM' },
  day: { zh: '当日', en: 'Day' },
  trend30: { zh: '近 30 日趋势', en: 'Last 30 days' },
  revenueStructure: { zh: '本月医疗收入结构', en: 'Revenue structure, month to date' },
  workload: { zh: '医疗工作量', en: 'Workload' },
  revenue: { zh: '收入与费用', en: 'Revenue and fees' },
  drug: { zh: '药品', en: 'Drugs' },
  material: { zh: '卫生材料', en: 'Materials' },
  exam: { zh: '检查', en: 'Examinations' },
  lab: { zh: '化验', en: 'Lab tests' },
  service: { zh: '医疗服务', en: 'Medical services' },
  loading: { zh: '正在加载…', en: 'Loading…' },
  offline: { zh: '离线：显示的是以下时间的数据', en: 'Offline: showing data as of' },
  stale: { zh: '数据未按时更新', en: 'Data is out of date' },
  inBand: { zh: '目标区间', en: 'target band' },
  aboveBand: { zh: '高于目标区间', en: 'above target band' },
  belowBand: { zh: '低于目标区间', en: 'below target band' },
  better: { zh: '向好', en: 'better' },
  worse: { zh: '变差', en: 'worse' },
  language: { zh: 'English', en: '中文' },
  outpatient: { zh: '门急诊人次', en: 'Outpatient + emergency visits' },
  discharges: { zh: '出院人数', en: 'Discharges' },
} satisfies Record<string, Record<Lang, string>>;

export type TextKey = keyof typeof TEXT;

export function t(key: TextKey, lang: Lang): string {
  return TEXT[key][lang];
}
