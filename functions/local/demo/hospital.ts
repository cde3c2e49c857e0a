/**
 * The demo hospital's structure: a three-campus tertiary general hospital (三甲综合医院) with departments of all four
 * costing classes, wards, doctor groups, doctors and a charge-item catalogue. Volumes scale with `--scale`.
 */
import { Rng } from './rng.ts';

export type Scale = 's' | 'm' | 'l';

export interface ScaleProfile {
  /** Multiplier on the department table's beds (≈1,500 in all) and outpatient volumes: s ≈ 300 beds, m ≈ 900, l ≈ 5,000. */
  size: number;
  /** Default number of days of data. */
  days: number;
  /** Charge lines are produced for this many most recent days (the detail layer is the heaviest). */
  chargeDays: number;
  /** Charge lines per inpatient-day multiplier (large hospitals itemise more finely). */
  lineDetail: number;
}

export const SCALES: Record<Scale, ScaleProfile> = {
  s: { size: 0.2, days: 400, chargeDays: 35, lineDetail: 1 },
  m: { size: 0.6, days: 731, chargeDays: 62, lineDetail: 1 },
  l: { size: 3.4, days: 731, chargeDays: 62, lineDetail: 2.5 },
};

export interface Campus { id: string; zh: string; en: string }
export interface Department {
  id: string; zh: string; en: string;
  cls: 'clinical' | 'medical_technical' | 'medical_auxiliary' | 'administrative';
  system: 'medical' | 'surgical' | 'maternal_child' | 'emergency_critical' | 'technical' | 'auxiliary' | 'administrative';
  campus: string;
  beds: number;
  /** Outpatient visits per weekday at scale m. */
  opd: number;
  /** MDC letters the department's inpatients are grouped into. */
  mdc: string;
  surgical: boolean;
  /** Cost level relative to the regional benchmark (>1 spends more than peers). */
  costFactor: number;
  /** Staff for non-clinical departments (clinical staff follow beds and clinics). */
  staff?: number;
}
export interface Ward { id: string; zh: string; en: string; department: string; campus: string; beds: number }
export interface DoctorGroup { id: string; zh: string; en: string; department: string; lead: string }
export interface Doctor { id: string; name: string; department: string; group?: string; title: 'chief' | 'associate_chief' | 'attending' | 'resident' }
export interface ChargeItem {
  code: string; zh: string; en: string;
  category: 'drug' | 'material' | 'exam' | 'lab' | 'treatment' | 'surgery' | 'consultation' | 'bed' | 'other';
  unit: string; price: number; dailyLimit?: number;
  executing?: string;
}

export const CAMPUSES: Campus[] = [
  { id: 'C01', zh: '本部院区', en: 'Main Campus' },
  { id: 'C02', zh: '东院区', en: 'East Campus' },
  { id: 'C03', zh: '南院区', en: 'South Campus' },
];

type DeptRow = [string, string, string, Department['cls'], Department['system'], string, number, number, string, boolean, number, number?];
// id, zh, en, class, system, campus, beds, outpatient visits/weekday (scale m), MDC letters, surgical, cost factor, staff
const DEPARTMENT_ROWS: DeptRow[] = [
  ['D101', '心血管内科', 'Cardiology', 'clinical', 'medical', 'C01', 90, 320, 'F', false, 1.02],
  ['D102', '呼吸与危重症医学科', 'Respiratory & Critical Care', 'clinical', 'medical', 'C01', 80, 300, 'E', false, 1.0],
  ['D103', '消化内科', 'Gastroenterology', 'clinical', 'medical', 'C01', 60, 260, 'G', false, 0.97],
  ['D104', '神经内科', 'Neurology', 'clinical', 'medical', 'C01', 80, 240, 'B', false, 1.08],
  ['D105', '内分泌科', 'Endocrinology', 'clinical', 'medical', 'C01', 40, 280, 'K', false, 0.95],
  ['D106', '肾内科', 'Nephrology', 'clinical', 'medical', 'C01', 40, 150, 'L', false, 1.0],
  ['D107', '血液内科', 'Haematology', 'clinical', 'medical', 'C01', 40, 90, 'Q', false, 1.12],
  ['D108', '普通外科', 'General Surgery', 'clinical', 'surgical', 'C01', 90, 180, 'GH', true, 1.03],
  ['D109', '骨科', 'Orthopaedics', 'clinical', 'surgical', 'C01', 100, 260, 'I', true, 1.1],
  ['D110', '神经外科', 'Neurosurgery', 'clinical', 'surgical', 'C01', 50, 70, 'B', true, 1.05],
  ['D111', '心脏大血管外科', 'Cardiac Surgery', 'clinical', 'surgical', 'C01', 30, 40, 'F', true, 0.98],
  ['D112', '泌尿外科', 'Urology', 'clinical', 'surgical', 'C01', 50, 150, 'LM', true, 0.94],
  ['D113', '重症医学科', 'Intensive Care', 'clinical', 'emergency_critical', 'C01', 24, 0, 'EFB', false, 1.15],
  ['D114', '急诊科', 'Emergency', 'clinical', 'emergency_critical', 'C01', 20, 0, 'EFGX', false, 1.0],
  ['D115', '眼科', 'Ophthalmology', 'clinical', 'surgical', 'C01', 30, 220, 'C', true, 0.9],
  ['D116', '耳鼻咽喉头颈外科', 'ENT', 'clinical', 'surgical', 'C01', 30, 200, 'D', true, 0.96],
  ['D201', '妇科', 'Gynaecology', 'clinical', 'maternal_child', 'C02', 50, 260, 'N', true, 0.95],
  ['D202', '产科', 'Obstetrics', 'clinical', 'maternal_child', 'C02', 60, 200, 'O', true, 0.92],
  ['D203', '儿科', 'Paediatrics', 'clinical', 'maternal_child', 'C02', 60, 420, 'EG', false, 0.98],
  ['D204', '新生儿科', 'Neonatology', 'clinical', 'maternal_child', 'C02', 30, 30, 'P', false, 1.05],
  ['D205', '肿瘤内科', 'Medical Oncology', 'clinical', 'medical', 'C02', 60, 120, 'R', false, 1.06],
  ['D206', '老年医学科', 'Geriatrics', 'clinical', 'medical', 'C02', 50, 110, 'FEB', false, 1.04],
  ['D207', '皮肤科', 'Dermatology', 'clinical', 'medical', 'C02', 16, 300, 'J', false, 0.93],
  ['D208', '康复医学科', 'Rehabilitation', 'clinical', 'medical', 'C02', 40, 90, 'IB', false, 0.99],
  ['D209', '口腔科', 'Stomatology', 'clinical', 'surgical', 'C02', 10, 260, 'D', true, 0.92],
  ['D301', '感染性疾病科', 'Infectious Diseases', 'clinical', 'medical', 'C03', 40, 140, 'SH', false, 1.0],
  ['D302', '甲状腺乳腺外科', 'Thyroid & Breast Surgery', 'clinical', 'surgical', 'C03', 40, 130, 'KJ', true, 0.97],
  ['D303', '胸外科', 'Thoracic Surgery', 'clinical', 'surgical', 'C03', 40, 70, 'E', true, 1.02],
  ['D304', '中医科', 'Traditional Chinese Medicine', 'clinical', 'medical', 'C03', 30, 260, 'IEG', false, 0.9],
  ['D305', '风湿免疫科', 'Rheumatology', 'clinical', 'medical', 'C03', 30, 140, 'I', false, 1.0],
  ['D306', '全科医学科', 'General Practice', 'clinical', 'medical', 'C03', 30, 300, 'EFG', false, 0.95],
  ['D401', '检验科', 'Clinical Laboratory', 'medical_technical', 'technical', 'C01', 0, 0, '', false, 1, 95],
  ['D402', '放射科', 'Radiology', 'medical_technical', 'technical', 'C01', 0, 0, '', false, 1, 80],
  ['D403', '超声医学科', 'Ultrasound', 'medical_technical', 'technical', 'C01', 0, 0, '', false, 1, 50],
  ['D404', '病理科', 'Pathology', 'medical_technical', 'technical', 'C01', 0, 0, '', false, 1, 30],
  ['D405', '药学部', 'Pharmacy', 'medical_technical', 'technical', 'C01', 0, 0, '', false, 1, 90],
  ['D406', '麻醉科', 'Anaesthesiology', 'medical_technical', 'technical', 'C01', 0, 0, '', false, 1, 70],
  ['D407', '核医学科', 'Nuclear Medicine', 'medical_technical', 'technical', 'C02', 0, 0, '', false, 1, 20],
  ['D408', '东院检验放射中心', 'East Lab & Imaging Centre', 'medical_technical', 'technical', 'C02', 0, 0, '', false, 1, 45],
  ['D409', '南院医技中心', 'South Diagnostics Centre', 'medical_technical', 'technical', 'C03', 0, 0, '', false, 1, 35],
  ['D501', '消毒供应中心', 'Sterile Supply', 'medical_auxiliary', 'auxiliary', 'C01', 0, 0, '', false, 1, 40],
  ['D502', '营养科', 'Clinical Nutrition', 'medical_auxiliary', 'auxiliary', 'C01', 0, 0, '', false, 1, 15],
  ['D503', '病案管理科', 'Medical Records', 'medical_auxiliary', 'auxiliary', 'C01', 0, 0, '', false, 1, 20],
  ['D504', '门诊部', 'Outpatient Services Office', 'medical_auxiliary', 'auxiliary', 'C01', 0, 0, '', false, 1, 35],
  ['D505', '入出院管理中心', 'Admissions Office', 'medical_auxiliary', 'auxiliary', 'C02', 0, 0, '', false, 1, 18],
  ['D601', '院长办公室', "President's Office", 'administrative', 'administrative', 'C01', 0, 0, '', false, 1, 18],
  ['D602', '财务处', 'Finance', 'administrative', 'administrative', 'C01', 0, 0, '', false, 1, 30],
  ['D603', '人力资源处', 'Human Resources', 'administrative', 'administrative', 'C01', 0, 0, '', false, 1, 16],
  ['D604', '医务处', 'Medical Affairs', 'administrative', 'administrative', 'C01', 0, 0, '', false, 1, 14],
  ['D605', '运营管理部', 'Operations Management', 'administrative', 'administrative', 'C01', 0, 0, '', false, 1, 12],
  ['D606', '信息中心', 'Information Centre', 'administrative', 'administrative', 'C01', 0, 0, '', false, 1, 25],
  ['D607', '后勤保障处', 'Facilities & Logistics', 'administrative', 'administrative', 'C01', 0, 0, '', false, 1, 60],
  ['D608', '医保办', 'Insurance Office', 'administrative', 'administrative', 'C01', 0, 0, '', false, 1, 12],
  ['D609', '东院综合办公室', 'East Campus Office', 'administrative', 'administrative', 'C02', 0, 0, '', false, 1, 15],
  ['D610', '南院综合办公室', 'South Campus Office', 'administrative', 'administrative', 'C03', 0, 0, '', false, 1, 12],
];

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩凯帆博立新海峰晨雪琳婷慧颖欣悦思远志宏';

export interface Hospital {
  campuses: Campus[];
  departments: Department[];
  wards: Ward[];
  groups: DoctorGroup[];
  doctors: Doctor[];
  items: ChargeItem[];
}

export function buildHospital(seed: number, scale: Scale): Hospital {
  const size = SCALES[scale].size;
  const rng = new Rng(seed, 'structure');
  const departments: Department[] = DEPARTMENT_ROWS.map(([id, zh, en, cls, system, campus, beds, opd, mdc, surgical, costFactor, staff]) => ({
    id, zh, en, cls, system, campus, mdc, surgical, costFactor,
    beds: Math.round(beds * size), opd: Math.round(opd * size),
    staff: staff === undefined ? undefined : Math.max(3, Math.round(staff * size)),
  }));
  const wards: Ward[] = [];
  const groups: DoctorGroup[] = [];
  const doctors: Doctor[] = [];
  const personName = (): string => rng.pick([...SURNAMES]) + rng.pick([...GIVEN]) + (rng.chance(0.6) ? rng.pick([...GIVEN]) : '');
  const ordinals = ['一', '二', '三', '四', '五', '六', '七', '八'];
  for (const d of departments.filter((x) => x.cls === 'clinical')) {
    const wardCount = d.beds === 0 ? 0 : Math.max(1, Math.round(d.beds / 45));
    for (let w = 0; w < wardCount; w++) {
      const beds = Math.floor(d.beds / wardCount) + (w < d.beds % wardCount ? 1 : 0);
      wards.push({ id: `${d.id}W${w + 1}`, zh: `${d.zh}${ordinals[w]}病区`, en: `${d.en} Ward ${w + 1}`, department: d.id, campus: d.campus, beds });
    }
    const groupCount = Math.max(2, Math.min(8, Math.round((d.beds + d.opd / 4) / 25)));
    for (let g = 0; g < groupCount; g++) {
      const lead = `E${d.id.slice(1)}${String(doctors.length + 1).padStart(4, '0')}`;
      const leadName = personName();
      const group: DoctorGroup = { id: `${d.id}G${g + 1}`, zh: `${leadName}诊疗组`, en: `Team ${g + 1}`, department: d.id, lead };
      groups.push(group);
      doctors.push({ id: lead, name: leadName, department: d.id, group: group.id, title: g === 0 ? 'chief' : 'associate_chief' });
      const members = 2 + rng.int(1, 4);
      for (let k = 0; k < members; k++) {
        doctors.push({ id: `E${d.id.slice(1)}${String(doctors.length + 1).padStart(4, '0')}`, name: personName(), department: d.id, group: group.id, title: k === 0 ? 'attending' : rng.chance(0.5) ? 'attending' : 'resident' });
      }
    }
  }
  return { campuses: CAMPUSES, departments, wards, groups, doctors, items: chargeItems() };
}

function chargeItems(): ChargeItem[] {
  const rows: [string, string, string, ChargeItem['category'], string, number, number?, string?][] = [
    // drugs (after volume-based procurement prices)
    ['X01', '阿托伐他汀钙片 20mg', 'Atorvastatin 20 mg tablet', 'drug', '片', 0.35],
    ['X02', '氨氯地平片 5mg', 'Amlodipine 5 mg tablet', 'drug', '片', 0.15],
    ['X03', '注射用头孢哌酮钠舒巴坦钠 1.5g', 'Cefoperazone-sulbactam 1.5 g injection', 'drug', '支', 18.6],
    ['X04', '注射用哌拉西林钠他唑巴坦钠 4.5g', 'Piperacillin-tazobactam 4.5 g injection', 'drug', '支', 24.8],
    ['X05', '0.9%氯化钠注射液 250ml', 'Sodium chloride 0.9% 250 ml', 'drug', '袋', 3.2],
    ['X06', '注射用奥美拉唑钠 40mg', 'Omeprazole 40 mg injection', 'drug', '支', 6.5],
    ['X07', '低分子肝素钙注射液 4100IU', 'Nadroparin 4100 IU injection', 'drug', '支', 19.8],
    ['X08', '人血白蛋白 10g', 'Human albumin 10 g', 'drug', '瓶', 368.0],
    ['X09', '胰岛素注射液 300IU', 'Insulin 300 IU pen', 'drug', '支', 42.5],
    ['X10', '注射用紫杉醇（白蛋白结合型）100mg', 'Nab-paclitaxel 100 mg', 'drug', '支', 785.0],
    ['X11', '阿莫西林胶囊 0.25g', 'Amoxicillin 0.25 g capsule', 'drug', '粒', 0.22],
    ['X12', '布洛芬混悬液 100ml', 'Ibuprofen suspension 100 ml', 'drug', '瓶', 9.8],
    ['X13', '复方甘草片', 'Compound liquorice tablet', 'drug', '片', 0.05],
    ['X14', '二甲双胍缓释片 0.5g', 'Metformin XR 0.5 g', 'drug', '片', 0.18],
    ['X15', '中药饮片（剂）', 'TCM decoction (dose)', 'drug', '剂', 38.0],
    ['X16', '丙泊酚注射液 20ml', 'Propofol 20 ml', 'drug', '支', 36.0],
    // health materials (zero mark-up)
    ['M01', '一次性使用输液器', 'Infusion set', 'material', '套', 4.5, 6],
    ['M02', '一次性使用注射器 5ml', 'Syringe 5 ml', 'material', '支', 0.6],
    ['M03', '医用敷料（套）', 'Dressing pack', 'material', '套', 12.0],
    ['M04', '冠脉药物洗脱支架', 'Drug-eluting coronary stent', 'material', '个', 650.0],
    ['M05', '人工髋关节假体', 'Hip prosthesis', 'material', '套', 7200.0],
    ['M06', '一次性腔镜吻合器', 'Endoscopic stapler', 'material', '把', 1850.0],
    ['M07', '人工晶状体', 'Intraocular lens', 'material', '片', 1200.0],
    ['M08', '导尿包', 'Catheter pack', 'material', '套', 26.0],
    ['M09', '一次性医用耗材（综合计价）', 'Disposable supplies (bundled)', 'material', '件', 10.0],
    // examinations
    ['E01', 'CT 平扫', 'CT scan (plain)', 'exam', '部位', 220.0, 2, 'D402'],
    ['E02', '磁共振平扫', 'MRI (plain)', 'exam', '部位', 480.0, 2, 'D402'],
    ['E03', '彩色多普勒超声', 'Colour Doppler ultrasound', 'exam', '部位', 150.0, 3, 'D403'],
    ['E04', '常规心电图', 'Electrocardiogram', 'exam', '次', 22.0, 2, 'D403'],
    ['E05', 'DR 摄片', 'Digital radiograph', 'exam', '次', 80.0, 3, 'D402'],
    ['E06', '胃镜检查', 'Gastroscopy', 'exam', '次', 260.0, 1, 'D103'],
    ['E07', '病理检查', 'Histopathology', 'exam', '例', 280.0, 2, 'D404'],
    // laboratory
    ['L01', '血常规', 'Full blood count', 'lab', '次', 18.0, 2, 'D401'],
    ['L02', '肝肾功能', 'Liver and renal panel', 'lab', '次', 95.0, 2, 'D401'],
    ['L03', '凝血功能', 'Coagulation panel', 'lab', '次', 60.0, 2, 'D401'],
    ['L04', '血气分析', 'Blood gas analysis', 'lab', '次', 55.0, 6, 'D401'],
    ['L05', '降钙素原', 'Procalcitonin', 'lab', '次', 110.0, 1, 'D401'],
    ['L06', '尿常规', 'Urinalysis', 'lab', '次', 12.0, 2, 'D401'],
    // treatment
    ['T01', '静脉输液', 'Intravenous infusion', 'treatment', '组', 12.0, 6],
    ['T02', '换药（中）', 'Wound dressing (medium)', 'treatment', '次', 35.0, 2],
    ['T03', '氧气吸入', 'Oxygen therapy', 'treatment', '小时', 3.0, 24],
    ['T04', '心电监护', 'ECG monitoring', 'treatment', '小时', 5.0, 24],
    ['T05', '血液透析', 'Haemodialysis', 'treatment', '次', 420.0, 1],
    ['T06', '针灸', 'Acupuncture', 'treatment', '次', 45.0, 1],
    ['T07', '康复训练', 'Rehabilitation session', 'treatment', '次', 60.0, 2],
    // surgery and anaesthesia
    ['S01', '一级手术', 'Grade 1 operation', 'surgery', '次', 600.0, 1],
    ['S02', '二级手术', 'Grade 2 operation', 'surgery', '次', 1500.0, 1],
    ['S03', '三级手术', 'Grade 3 operation', 'surgery', '次', 3200.0, 1],
    ['S04', '四级手术', 'Grade 4 operation', 'surgery', '次', 6800.0, 1],
    ['S05', '全身麻醉', 'General anaesthesia', 'surgery', '次', 900.0, 1, 'D406'],
    // consultation, bed, other
    // Outpatient consultation is charged per visit, and a patient may see two departments in a day: no daily limit.
    ['R01', '普通门诊诊查费', 'Consultation (attending)', 'consultation', '次', 15.0],
    ['R02', '副主任医师诊查费', 'Consultation (associate chief)', 'consultation', '次', 30.0],
    ['R03', '主任医师诊查费', 'Consultation (chief)', 'consultation', '次', 50.0],
    ['R04', '急诊诊查费', 'Emergency consultation', 'consultation', '次', 25.0],
    ['B01', '床位费（三人间）', 'Bed (three-bed room)', 'bed', '日', 45.0, 1],
    ['B02', '二级护理', 'Grade 2 nursing', 'bed', '日', 28.0, 1],
    ['B03', '重症监护床位费', 'ICU bed', 'bed', '日', 260.0, 1],
    ['B04', '住院诊查费', 'Inpatient consultation', 'bed', '日', 20.0, 1],
    ['Z01', '取暖及其他', 'Heating and sundries', 'other', '日', 8.0, 1],
    ['Z02', '院内会诊', 'Specialist consultation', 'other', '次', 40.0, 2],
  ];
  return rows.map(([code, zh, en, category, unit, price, dailyLimit, executing]) => ({ code, zh, en, category, unit, price, dailyLimit, executing }));
}
