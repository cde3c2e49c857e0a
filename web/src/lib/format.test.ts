/** Number formatting as screens show it, worked out by hand: 万元/亿元 in zh-CN, K/M in English, '—' for no value. */
import { describe, expect, it } from 'vitest';
import { change, kpiValue, money, number, percent, wan } from './format';

describe('money', () => {
  it('compacts to 亿元 / 万元 in Chinese and M / K in English', () => {
    expect(money(123_456_789, 'zh')).toEqual({ text: '1.23', unit: '亿元' });
    expect(money(12_345, 'zh')).toEqual({ text: '1.2', unit: '万元' });
    expect(money(9_999, 'zh')).toEqual({ text: '9,999', unit: '元' });
    expect(money(12_345_678, 'en')).toEqual({ text: '12.35', unit: 'M CNY' });
    expect(money(-4_500, 'en')).toEqual({ text: '-4.5', unit: 'K CNY' });
  });
});

describe('kpiValue', () => {
  const percentUnit = { unit: 'percent' as const, unitZh: '%', unitEn: '%', tileDigits: 2 };
  it('shows a KPI in its unit with the catalogue\'s digits, and no value as a dash, never 0', () => {
    expect(kpiValue(88.845, percentUnit, 'zh')).toEqual({ text: '88.85', unit: '%' });
    expect(kpiValue(1234.4, { unit: 'visits', unitZh: '人次', unitEn: 'visits', tileDigits: 0 }, 'zh')).toEqual({ text: '1,234', unit: '人次' });
    expect(kpiValue(2_500_000, { unit: 'CNY', unitZh: '元', unitEn: 'CNY', tileDigits: 0 }, 'zh')).toEqual({ text: '250.0', unit: '万元' });
    expect(kpiValue(null, percentUnit, 'en')).toEqual({ text: '—', unit: '' });
    expect(kpiValue(Number.NaN, percentUnit, 'en')).toEqual({ text: '—', unit: '' });
  });
});

describe('changes, percentages and plain numbers', () => {
  it('writes percentage points for percentages and a relative change otherwise', () => {
    expect(change(1.256, 'points', 'zh')).toBe('+1.26 个百分点');
    expect(change(-0.031, 'relative', 'en')).toBe('−3.1%');
    expect(change(0, 'relative', 'en')).toBe('±0.0%');
    expect(change(null, 'relative', 'en')).toBe('—');
  });
  it('shows fractions as percent, money in 万元 or thousands, and nothing as a dash', () => {
    expect(percent(0.8875, 'zh')).toBe('88.8%');
    expect(percent(null, 'zh')).toBe('—');
    expect(wan(1_234_567, 'zh')).toBe('123.5');
    expect(wan(1_234_567, 'en')).toBe('1,234.6');
    expect(number(Number.POSITIVE_INFINITY, 'en')).toBe('—');
  });
});
