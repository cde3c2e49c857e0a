/** Number formatting for screens: 万元/亿元 in zh-CN, K/M in English, tabular digits, one unit per figure. */
import type { KpiUnit } from '../../../functions/api/contract.ts';

export type Lang = 'zh' | 'en';

const intFmt = { zh: new Intl.NumberFormat('zh-CN'), en: new Intl.NumberFormat('en-US') };
const dec = (lang: Lang, digits: number) => new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Money in CNY as a compact figure with its unit: 1,234.5 万元 / ¥12.35M. */
export function money(value: number, lang: Lang): { text: string; unit: string } {
  const abs = Math.abs(value);
  if (lang === 'zh') {
    if (abs >= 1e8) return { text: dec(lang, 2).format(value / 1e8), unit: '亿元' };
    if (abs >= 1e4) return { text: dec(lang, 1).format(value / 1e4), unit: '万元' };
    return { text: dec(lang, 0).format(value), unit: '元' };
  }
  if (abs >= 1e6) return { text: dec(lang, 2).format(value / 1e6), unit: 'M CNY' };
  if (abs >= 1e3) return { text: dec(lang, 1).format(value / 1e3), unit: 'K CNY' };
  return { text: dec(lang, 0).format(value), unit: 'CNY' };
}

/** What a figure needs to be shown: its unit (with names) and decimals, as the KPI catalogue gives them. */
export interface Shown { unit: KpiUnit; unitZh: string; unitEn: string; tileDigits: number }

/** A KPI value as shown on a tile: the figure and its unit; money compacted to 万元/亿元. */
export function kpiValue(value: number | null, def: Shown, lang: Lang): { text: string; unit: string } {
  if (value === null || !Number.isFinite(value)) return { text: '—', unit: '' };
  if (def.unit === 'CNY') return money(value, lang);
  const label = lang === 'zh' ? def.unitZh : def.unitEn;
  return { text: def.tileDigits === 0 ? intFmt[lang].format(Math.round(value)) : dec(lang, def.tileDigits).format(value), unit: label };
}

/** A comparison as text: "+3.2%" or "-0.45 pp" (percentage points for percentages). */
export function change(value: number | null, kind: 'relative' | 'points', lang: Lang): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const sign = value > 0 ? '+' : value < 0 ? '−' : '±';
  if (kind === 'points') return `${sign}${dec(lang, 2).format(Math.abs(value))} ${lang === 'zh' ? '个百分点' : 'pp'}`;
  return `${sign}${dec(lang, 1).format(Math.abs(value) * 100)}%`;
}

export function dateTime(iso: string, lang: Lang, timeZone = 'Asia/Shanghai'): string {
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
}

/** The zh-CN or English text of a pair written side by side. */
export const pick = (lang: Lang, zh: string, en: string): string => (lang === 'zh' ? zh : en);

/** Money in 万元 (zh) or thousands of CNY (en), for tables that keep one unit throughout. */
export function wan(value: number | null, lang: Lang, digits = 1): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return dec(lang, digits).format(lang === 'zh' ? value / 1e4 : value / 1e3);
}
export const wanUnit = (lang: Lang): string => (lang === 'zh' ? '万元' : 'K CNY');

export function percent(value: number | null, lang: Lang, digits = 1): string {
  return value === null || !Number.isFinite(value) ? '—' : `${dec(lang, digits).format(value * 100)}%`;
}

export function number(value: number | null, lang: Lang, digits = 0): string {
  return value === null || !Number.isFinite(value) ? '—' : dec(lang, digits).format(value);
}

/** A link within the app that keeps the page's language (alert drill links are stored without one). */
export const withLang = (path: string, lang: Lang): string => `${path}${path.includes('?') ? '&' : '?'}lang=${lang}`;
