/**
 * Data contract v1: what each hospital source system drops every night.
 * The single source from which row validation, the Parquet schema, docs/data-contract.md and the Glue tables are derived.
 */

export const CONTRACT_VERSION = '1.0.0';

export type ColumnType = 'string' | 'integer' | 'money' | 'decimal' | 'date' | 'month' | 'timestamp' | 'boolean';
/**
 * How each column type is stored in Parquet (and declared to Glue): the single source for the DuckDB writer, the Glue
 * tables and the validator's storage checks, so that every value the validator accepts is one the lake can hold.
 */
export interface ColumnStorage {
  /** DuckDB/Parquet type. */
  sql: string;
  /** Glue/Hive type for the same Parquet column. */
  glue: string;
  /** For DECIMAL(p,s): digits before and after the point. */
  decimal?: { integerDigits: number; scale: number };
  /** For INTEGER: the 32-bit range. */
  integerRange?: { min: number; max: number };
}

export const COLUMN_STORAGE: Record<ColumnType, ColumnStorage> = {
  string: { sql: 'VARCHAR', glue: 'string' },
  integer: { sql: 'INTEGER', glue: 'int', integerRange: { min: -2147483648, max: 2147483647 } },
  money: { sql: 'DECIMAL(18,2)', glue: 'decimal(18,2)', decimal: { integerDigits: 16, scale: 2 } },
  decimal: { sql: 'DECIMAL(18,4)', glue: 'decimal(18,4)', decimal: { integerDigits: 14, scale: 4 } },
  date: { sql: 'DATE', glue: 'date' },
  month: { sql: 'VARCHAR', glue: 'string' },
  timestamp: { sql: 'TIMESTAMP', glue: 'timestamp' },
  boolean: { sql: 'BOOLEAN', glue: 'boolean' },
};

/** The longest line (or quoted record) a landing file may hold: a longer one is rejected as a row, with its line number. */
export const MAX_RECORD_CHARS = 1_000_000;

export type Unit = 'CNY' | 'day' | 'bed' | 'person' | 'visit' | 'case' | 'm2' | 'kWh' | 'weight' | 'CNY/weight' | 'quantity' | 'ratio';
export type TableKind = 'reference' | 'daily' | 'monthly';
export type SourceSystem = 'HIS' | 'EMR' | 'ORIS' | 'costing' | 'budget' | 'HR' | 'insurance';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  required: boolean;
  zh: string;
  en: string;
  unit?: Unit;
  allowed?: readonly string[];
  min?: number;
  max?: number;
  /** A foreign key: the value must be a key of this reference table (its newest partition on or before the night). */
  references?: { table: string; column: string };
}

/** Rules across the fields of one row, declared here so that validation and the docs share them. */
export type RowCheck =
  /** `total` = `factors[0]` × `factors[1]` to the cent; a negative quantity is allowed only as a refund (negative amount). */
  | { kind: 'product'; total: string; factors: readonly [string, string] }
  /** `first` is on or before `second`. */
  | { kind: 'date_order'; first: string; second: string }
  /** `days` = `to` − `from` in days (a same-day stay may count as 0 or 1). */
  | { kind: 'day_span'; from: string; to: string; days: string };

export interface TableSpec {
  name: string;
  kind: TableKind;
  source: SourceSystem;
  zh: string;
  en: string;
  /** Primary key: duplicates within a night resolve to the last delivery. */
  key: readonly string[];
  /** For daily facts: the business date, which must not be after the night it is delivered in. */
  dateColumn?: string;
  columns: readonly ColumnSpec[];
  /**
   * For reference tables keyed by year (DRG weights, base rates, benchmarks): a delivery replaces the years it carries
   * and leaves every other year as earlier deliveries had it (a 2025 table never erases 2024's). Other reference
   * tables are delivered whole: the newest partition on or before a date is the table in force.
   */
  replacesBy?: 'year';
  /** Money columns that must add up to `total` (to the cent). */
  feeSum?: { parts: readonly string[]; total: string };
  checks?: readonly RowCheck[];
}

export const DEPARTMENT_CLASSES = ['clinical', 'medical_technical', 'medical_auxiliary', 'administrative'] as const;
export const DEPARTMENT_SYSTEMS = ['medical', 'surgical', 'maternal_child', 'emergency_critical', 'technical', 'auxiliary', 'administrative'] as const;
export const INSURANCE_TYPES = ['employee', 'resident', 'self_pay'] as const;
export const VISIT_TYPES = ['outpatient', 'emergency'] as const;
export const OUTCOMES = ['cured', 'improved', 'not_cured', 'death', 'other'] as const;
export const FEE_CATEGORIES = ['drug', 'material', 'exam', 'lab', 'treatment', 'surgery', 'consultation', 'bed', 'other'] as const;
export const COST_ELEMENTS = ['personnel', 'health_materials', 'drugs', 'depreciation', 'amortisation', 'risk_fund', 'other_operating'] as const;
export const BUDGET_ITEM_TYPES = ['revenue', 'expense'] as const;
export type FeeCategory = (typeof FEE_CATEGORIES)[number];

const id = (name: string, zh: string, en: string): ColumnSpec => ({ name, type: 'string', required: true, zh, en });
const ref = (name: string, zh: string, en: string, required = true): ColumnSpec => ({ name, type: 'string', required, zh, en });
/** A reference to another table's key column of the same name (or `column`). */
const fk = (name: string, table: string, zh: string, en: string, required = true, column = name): ColumnSpec =>
  ({ name, type: 'string', required, zh, en, references: { table, column } });
const money = (name: string, zh: string, en: string, required = true): ColumnSpec => ({ name, type: 'money', required, zh, en, unit: 'CNY', min: 0 });
const count = (name: string, zh: string, en: string, unit: Unit): ColumnSpec => ({ name, type: 'integer', required: true, zh, en, unit, min: 0 });
const names: ColumnSpec[] = [
  { name: 'name_zh', type: 'string', required: true, zh: '中文名称', en: 'Chinese name' },
  { name: 'name_en', type: 'string', required: false, zh: '英文名称', en: 'English name' },
];

const FEE_ZH: Record<FeeCategory, string> = {
  drug: '药品费', material: '卫生材料费', exam: '检查费', lab: '化验费', treatment: '治疗费',
  surgery: '手术费', consultation: '挂号及诊查费', bed: '床位及护理费', other: '其他费',
};
const FEE_EN: Record<FeeCategory, string> = {
  drug: 'drugs', material: 'health materials', exam: 'examinations', lab: 'laboratory tests', treatment: 'treatment',
  surgery: 'surgery', consultation: 'registration and consultation', bed: 'bed and nursing', other: 'other',
};
const feeColumns = (cats: readonly FeeCategory[]): ColumnSpec[] => [
  ...cats.map((c) => money(`fee_${c}`, FEE_ZH[c], `Fees: ${FEE_EN[c]}`)),
  money('fee_total', '医疗费用合计', 'Total medical fees'),
  money('insurance_paid', '医保统筹支付', 'Paid by the insurance fund'),
];
const OUTPATIENT_FEES: readonly FeeCategory[] = ['drug', 'material', 'exam', 'lab', 'treatment', 'surgery', 'consultation', 'other'];
const INPATIENT_FEES: readonly FeeCategory[] = FEE_CATEGORIES;

export const TABLES: readonly TableSpec[] = [
  // ── reference data ──
  {
    name: 'campuses', kind: 'reference', source: 'HIS', zh: '院区', en: 'Campuses', key: ['campus_id'],
    columns: [id('campus_id', '院区编码', 'Campus code'), ...names],
  },
  {
    name: 'departments', kind: 'reference', source: 'HIS', zh: '科室', en: 'Departments', key: ['department_id'],
    columns: [
      id('department_id', '科室编码', 'Department code'), ...names,
      { name: 'department_class', type: 'string', required: true, zh: '科室类别（成本核算四类）', en: 'Department class (four costing classes)', allowed: DEPARTMENT_CLASSES },
      { name: 'system', type: 'string', required: true, zh: '系统分组（内科/外科系统等）', en: 'System grouping (medical, surgical, …)', allowed: DEPARTMENT_SYSTEMS },
      fk('campus_id', 'campuses', '所属院区', 'Campus'),
      ref('parent_id', '上级科室', 'Parent department', false),
    ],
  },
  {
    name: 'wards', kind: 'reference', source: 'HIS', zh: '病区', en: 'Wards', key: ['ward_id'],
    columns: [id('ward_id', '病区编码', 'Ward code'), ...names, fk('department_id', 'departments', '所属科室', 'Department'), fk('campus_id', 'campuses', '所属院区', 'Campus'),
      count('open_beds', '实际开放床位数', 'Open beds', 'bed')],
  },
  {
    name: 'doctor_groups', kind: 'reference', source: 'HIS', zh: '诊疗组', en: 'Doctor groups', key: ['doctor_group_id'],
    columns: [id('doctor_group_id', '诊疗组编码', 'Doctor group code'), ...names, fk('department_id', 'departments', '所属科室', 'Department'), ref('lead_doctor_id', '组长医生', 'Lead doctor')],
  },
  {
    name: 'doctors', kind: 'reference', source: 'HR', zh: '医生', en: 'Doctors', key: ['doctor_id'],
    columns: [id('doctor_id', '医生工号', 'Doctor staff number'), { name: 'name_zh', type: 'string', required: true, zh: '姓名', en: 'Name' },
      fk('department_id', 'departments', '所属科室', 'Department'), fk('doctor_group_id', 'doctor_groups', '所属诊疗组', 'Doctor group', false),
      { name: 'title', type: 'string', required: true, zh: '职称', en: 'Title', allowed: ['chief', 'associate_chief', 'attending', 'resident'] }],
  },
  {
    name: 'charge_items', kind: 'reference', source: 'HIS', zh: '收费项目', en: 'Charge items', key: ['item_code'],
    columns: [id('item_code', '收费项目编码', 'Item code'), ...names,
      { name: 'item_category', type: 'string', required: true, zh: '费用类别', en: 'Fee category', allowed: FEE_CATEGORIES },
      { name: 'unit', type: 'string', required: true, zh: '计价单位', en: 'Billing unit' },
      { name: 'unit_price', type: 'money', required: true, zh: '单价', en: 'Unit price', unit: 'CNY', min: 0 },
      { name: 'daily_limit', type: 'integer', required: false, zh: '每日限收数量', en: 'Daily quantity limit per patient', unit: 'quantity', min: 0 }],
  },
  {
    name: 'drg_groups', kind: 'reference', replacesBy: 'year', source: 'insurance', zh: 'DRG 分组与权重', en: 'DRG groups and weights', key: ['year', 'drg_code'],
    columns: [{ name: 'year', type: 'integer', required: true, zh: '适用年度', en: 'Year in force', min: 2000, max: 2100 },
      id('drg_code', 'DRG 编码', 'DRG code'), ref('adrg_code', 'ADRG 编码', 'ADRG code'), { name: 'mdc', type: 'string', required: true, zh: '主要诊断大类', en: 'Major diagnostic category' },
      { name: 'name_zh', type: 'string', required: true, zh: 'DRG 名称', en: 'DRG name' },
      { name: 'weight', type: 'decimal', required: true, zh: '相对权重', en: 'Relative weight', unit: 'weight', min: 0 }],
  },
  {
    name: 'drg_base_rates', kind: 'reference', replacesBy: 'year', source: 'insurance', zh: 'DRG 费率（基础费率）', en: 'DRG base rates', key: ['year', 'insurance_type'],
    columns: [{ name: 'year', type: 'integer', required: true, zh: '年度', en: 'Year', min: 2000, max: 2100 },
      { name: 'insurance_type', type: 'string', required: true, zh: '参保类型', en: 'Insurance type', allowed: INSURANCE_TYPES },
      { name: 'base_rate', type: 'money', required: true, zh: '每权重点数费率', en: 'Payment per weight point', unit: 'CNY/weight', min: 0 }],
  },
  {
    name: 'drg_benchmarks', kind: 'reference', replacesBy: 'year', source: 'insurance', zh: '区域 DRG 标杆值', en: 'Regional DRG benchmarks', key: ['year', 'drg_code'],
    columns: [{ name: 'year', type: 'integer', required: true, zh: '年度', en: 'Year', min: 2000, max: 2100 }, fk('drg_code', 'drg_groups', 'DRG 编码', 'DRG code'),
      { name: 'avg_cost', type: 'money', required: true, zh: '区域例均费用', en: 'Regional average cost per case', unit: 'CNY', min: 0 },
      { name: 'avg_los', type: 'decimal', required: true, zh: '区域平均住院日', en: 'Regional average length of stay', unit: 'day', min: 0 },
      { name: 'mortality_rate', type: 'decimal', required: true, zh: '区域死亡率', en: 'Regional mortality rate', unit: 'ratio', min: 0, max: 1 }],
  },
  // ── daily facts ──
  {
    name: 'outpatient_visits', kind: 'daily', source: 'HIS', zh: '门急诊就诊', en: 'Outpatient and emergency visits', key: ['visit_id'], dateColumn: 'visit_date',
    columns: [id('visit_id', '就诊流水号', 'Visit number'), { name: 'visit_date', type: 'date', required: true, zh: '就诊日期', en: 'Visit date' },
      { name: 'visit_type', type: 'string', required: true, zh: '门诊/急诊', en: 'Outpatient or emergency', allowed: VISIT_TYPES },
      fk('campus_id', 'campuses', '院区', 'Campus'), fk('department_id', 'departments', '就诊科室', 'Department'), fk('doctor_id', 'doctors', '接诊医生', 'Doctor'), ref('patient_id', '患者 ID（脱敏）', 'Patient ID (pseudonymised)'),
      { name: 'insurance_type', type: 'string', required: true, zh: '参保类型', en: 'Insurance type', allowed: INSURANCE_TYPES },
      ...feeColumns(OUTPATIENT_FEES)],
    feeSum: { parts: OUTPATIENT_FEES.map((c) => `fee_${c}`), total: 'fee_total' },
  },
  {
    name: 'inpatient_cases', kind: 'daily', source: 'insurance', zh: '出院病例（结算）', en: 'Discharged inpatient cases (settlement)', key: ['case_id'], dateColumn: 'discharge_date',
    columns: [id('case_id', '住院号/病案号', 'Case number'), ref('patient_id', '患者 ID（脱敏）', 'Patient ID (pseudonymised)'),
      { name: 'admission_date', type: 'date', required: true, zh: '入院日期', en: 'Admission date' },
      { name: 'discharge_date', type: 'date', required: true, zh: '出院日期', en: 'Discharge date' },
      fk('campus_id', 'campuses', '院区', 'Campus'), fk('department_id', 'departments', '出院科室', 'Discharging department'), fk('ward_id', 'wards', '出院病区', 'Discharging ward'),
      fk('doctor_group_id', 'doctor_groups', '诊疗组', 'Doctor group'), fk('drg_code', 'drg_groups', 'DRG 编码（未入组为空）', 'DRG code (empty when not grouped)', false),
      { name: 'los_days', type: 'integer', required: true, zh: '住院天数', en: 'Length of stay', unit: 'day', min: 0, max: 3650 },
      { name: 'outcome', type: 'string', required: true, zh: '离院方式/转归', en: 'Outcome', allowed: OUTCOMES },
      { name: 'insurance_type', type: 'string', required: true, zh: '参保类型', en: 'Insurance type', allowed: INSURANCE_TYPES },
      ...feeColumns(INPATIENT_FEES)],
    feeSum: { parts: INPATIENT_FEES.map((c) => `fee_${c}`), total: 'fee_total' },
    checks: [{ kind: 'date_order', first: 'admission_date', second: 'discharge_date' }, { kind: 'day_span', from: 'admission_date', to: 'discharge_date', days: 'los_days' }],
  },
  {
    name: 'charge_lines', kind: 'daily', source: 'HIS', zh: '收费明细', en: 'Charge lines', key: ['line_id'], dateColumn: 'charge_date',
    columns: [id('line_id', '明细流水号', 'Line number'), { name: 'source_type', type: 'string', required: true, zh: '门诊/住院', en: 'Outpatient or inpatient', allowed: ['outpatient', 'inpatient'] },
      ref('source_id', '就诊流水号或住院号', 'Visit or case number'), ref('patient_id', '患者 ID（脱敏）', 'Patient ID (pseudonymised)'),
      fk('item_code', 'charge_items', '收费项目编码', 'Item code'), { name: 'item_category', type: 'string', required: true, zh: '费用类别', en: 'Fee category', allowed: FEE_CATEGORIES },
      { name: 'quantity', type: 'decimal', required: true, zh: '数量（退费为负）', en: 'Quantity (negative for refunds)', unit: 'quantity' },
      { name: 'unit_price', type: 'money', required: true, zh: '单价', en: 'Unit price', unit: 'CNY', min: 0 },
      { name: 'amount', type: 'money', required: true, zh: '金额（退费为负）', en: 'Amount (negative for refunds)', unit: 'CNY' },
      fk('ordering_department_id', 'departments', '开单科室', 'Ordering department', true, 'department_id'), fk('executing_department_id', 'departments', '执行科室', 'Executing department', true, 'department_id'),
      { name: 'charge_date', type: 'date', required: true, zh: '收费日期', en: 'Charge date' }],
    checks: [{ kind: 'product', total: 'amount', factors: ['quantity', 'unit_price'] }],
  },
  {
    name: 'bed_census', kind: 'daily', source: 'HIS', zh: '病区床位日报', en: 'Daily ward bed census', key: ['census_date', 'ward_id'], dateColumn: 'census_date',
    columns: [{ name: 'census_date', type: 'date', required: true, zh: '日期', en: 'Census date' }, fk('ward_id', 'wards', '病区', 'Ward'),
      fk('campus_id', 'campuses', '院区', 'Campus'), fk('department_id', 'departments', '科室', 'Department'),
      count('open_beds', '实际开放床位', 'Open beds', 'bed'), count('occupied_beds', '实际占用床位（24 时在院）', 'Occupied beds (midnight census)', 'bed'),
      count('admissions', '入院人数', 'Admissions', 'person'), count('discharges', '出院人数', 'Discharges', 'person')],
  },
  {
    name: 'surgeries', kind: 'daily', source: 'ORIS', zh: '手术（手麻系统）', en: 'Operations (OR system)', key: ['surgery_id'], dateColumn: 'surgery_date',
    columns: [id('surgery_id', '手术流水号', 'Operation number'), { name: 'surgery_date', type: 'date', required: true, zh: '手术日期', en: 'Operation date' },
      fk('campus_id', 'campuses', '院区', 'Campus'), fk('department_id', 'departments', '手术科室', 'Operating department'), ref('case_id', '住院号（日间手术可为空）', 'Case number (empty for day surgery)', false),
      ref('patient_id', '患者 ID（脱敏）', 'Patient ID (pseudonymised)'),
      { name: 'surgery_level', type: 'integer', required: true, zh: '手术级别（1–4）', en: 'Operation grade (1–4)', min: 1, max: 4 },
      { name: 'is_day_surgery', type: 'boolean', required: true, zh: '是否日间手术', en: 'Day surgery' }],
  },
  // ── monthly facts ──
  {
    name: 'department_costs', kind: 'monthly', source: 'costing', zh: '科室直接成本', en: 'Department direct costs', key: ['month', 'department_id', 'cost_element'], dateColumn: 'month',
    columns: [{ name: 'month', type: 'month', required: true, zh: '月份', en: 'Month' }, fk('department_id', 'departments', '科室', 'Department'),
      { name: 'cost_element', type: 'string', required: true, zh: '成本要素（七类）', en: 'Cost element (seven elements)', allowed: COST_ELEMENTS },
      money('amount', '金额', 'Amount')],
  },
  {
    name: 'budget_plan', kind: 'monthly', source: 'budget', zh: '预算（含调整）', en: 'Budget (original and adjusted)', key: ['month', 'department_id', 'budget_item', 'version'], dateColumn: 'month',
    columns: [{ name: 'month', type: 'month', required: true, zh: '月份', en: 'Month' }, fk('department_id', 'departments', '科室', 'Department'),
      { name: 'budget_item', type: 'string', required: true, zh: '预算项目', en: 'Budget item' },
      { name: 'item_type', type: 'string', required: true, zh: '收入/支出', en: 'Revenue or expense', allowed: BUDGET_ITEM_TYPES },
      { name: 'version', type: 'string', required: true, zh: '版本（original 年初 / adjusted 调整后）', en: 'Version (original / adjusted)', allowed: ['original', 'adjusted'] },
      money('amount', '预算金额', 'Budget amount'), ref('adjustment_note', '调整说明', 'Adjustment note', false)],
  },
  {
    name: 'budget_actuals', kind: 'monthly', source: 'budget', zh: '预算执行（实际）', en: 'Budget actuals', key: ['month', 'department_id', 'budget_item'], dateColumn: 'month',
    columns: [{ name: 'month', type: 'month', required: true, zh: '月份', en: 'Month' }, fk('department_id', 'departments', '科室', 'Department'),
      { name: 'budget_item', type: 'string', required: true, zh: '预算项目', en: 'Budget item' },
      { name: 'item_type', type: 'string', required: true, zh: '收入/支出', en: 'Revenue or expense', allowed: BUDGET_ITEM_TYPES },
      money('amount', '实际金额', 'Actual amount')],
  },
  {
    name: 'department_resources', kind: 'monthly', source: 'HR', zh: '科室人员、面积与能耗', en: 'Department staff, floor area and energy', key: ['month', 'department_id'], dateColumn: 'month',
    columns: [{ name: 'month', type: 'month', required: true, zh: '月份', en: 'Month' }, fk('department_id', 'departments', '科室', 'Department'),
      count('headcount', '在岗人数', 'Headcount', 'person'), count('doctors', '医生数', 'Doctors', 'person'), count('nurses', '护士数', 'Nurses', 'person'),
      { name: 'floor_area_m2', type: 'decimal', required: true, zh: '使用面积', en: 'Floor area', unit: 'm2', min: 0 },
      { name: 'energy_kwh', type: 'decimal', required: true, zh: '用电量', en: 'Electricity used', unit: 'kWh', min: 0 },
      money('energy_cost', '能耗支出（水电气）', 'Energy cost (power, water, gas)')],
  },
];

export type TableName = (typeof TABLES)[number]['name'];

const byName = new Map(TABLES.map((t) => [t.name, t]));

export function tableSpec(name: string): TableSpec {
  const spec = byName.get(name);
  if (!spec) throw new Error(`未知数据表 unknown table "${name}"; known: ${[...byName.keys()].join(', ')}`);
  return spec;
}

export function isContractTable(name: string): boolean {
  return byName.has(name);
}
