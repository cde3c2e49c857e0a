/** The units KPIs are measured in: what a screen writes after the figure, and how many decimals it keeps. */
import type { Named } from './measures.ts';

export type KpiUnit = 'visits' | 'persons' | 'operations' | 'CNY' | 'percent' | 'CNY_per_100' | 'days' | 'CNY_per_visit' | 'CNY_per_case' | 'turns';

export interface UnitSpec extends Named {
  /** An amount of money (shown in 元 or 万元; exports let the user choose). */
  money: boolean;
  /** What a money amount is per ("/人次"), appended to 元 or 万元. */
  per?: Named;
  /** Decimals shown in tables and written to exports: the table and its export agree cell for cell. */
  digits: number;
  /** Decimals on a wall or tablet tile, read from across a room (money amounts are compacted to 万元/亿元 instead). */
  tileDigits: number;
}

export const UNITS: Record<KpiUnit, UnitSpec> = {
  visits: { zh: '人次', en: 'visits', money: false, digits: 0, tileDigits: 0 },
  persons: { zh: '人', en: 'patients', money: false, digits: 0, tileDigits: 0 },
  operations: { zh: '台次', en: 'operations', money: false, digits: 0, tileDigits: 0 },
  CNY: { zh: '元', en: 'CNY', money: true, digits: 2, tileDigits: 0 },
  percent: { zh: '%', en: '%', money: false, digits: 2, tileDigits: 2 },
  CNY_per_100: { zh: '元/百元', en: 'CNY per ¥100', money: false, digits: 2, tileDigits: 2 },
  days: { zh: '天', en: 'days', money: false, digits: 2, tileDigits: 2 },
  CNY_per_visit: { zh: '元', en: 'CNY', money: true, per: { zh: '/人次', en: ' per visit' }, digits: 2, tileDigits: 0 },
  CNY_per_case: { zh: '元', en: 'CNY', money: true, per: { zh: '/例', en: ' per case' }, digits: 2, tileDigits: 0 },
  turns: { zh: '次', en: 'turns', money: false, digits: 2, tileDigits: 2 },
};

/** The unit's name in the chosen money unit (元 or 万元), e.g. "万元/人次" / "10k CNY per visit". */
export function unitName(unit: KpiUnit, money: 'yuan' | 'wan' = 'yuan'): Named {
  const u = UNITS[unit];
  if (!u.money) return { zh: u.zh, en: u.en };
  const per = u.per ?? { zh: '', en: '' };
  return money === 'wan' ? { zh: `万元${per.zh}`, en: `10k CNY${per.en}` } : { zh: `元${per.zh}`, en: `CNY${per.en}` };
}
