/** URL state and small helpers of the screens: explorer views, staleness, kiosk windows, escaping, tones, the dictionary. */
import { describe, expect, it } from 'vitest';
import { bandStatus, changeTone } from './direction';
import { exploreViewUrl, readExploreView } from './explore-view';
import { escapeHtml } from './html';
import { inWindow, localDate, localTime } from './kiosk';
import { behindSchedule, isStale } from './poll';
import { t, type TextKey } from './i18n';
import { ADMIN_TEXT } from './text/admin';
import { ANALYST_TEXT } from './text/analyst';
import { TABLET_TEXT } from './text/tablet';
import { WALL_TEXT } from './text/wall';

describe('explorer view in the URL', () => {
  it('reads defaults, refuses unknown values, and keeps the drill order', () => {
    const v = readExploreView('?kpi=drug_share&period=week&compare=nonsense&ward=W2&department=D1&money=wan');
    expect(v).toMatchObject({ kpi: 'drug_share', dim: 'campus', period: 'month', compare: 'yoy', money: 'wan', view: 'chart' });
    expect(v.filters).toEqual([['ward', 'W2'], ['department', 'D1']]);
  });
  it('writes back what it read', () => {
    const v = readExploreView('?kpi=avg_los&dim=ward&period=quarter&date=2024-03-10&compare=mom&view=table&department=D1');
    expect(readExploreView(`?${exploreViewUrl(v, 'en').toString()}`)).toEqual(v);
  });
});

describe('freshness', () => {
  it('calls data stale only when it is more than two nights behind the server', () => {
    // Data as of 1 March covers to midnight 2 March (UTC+8) = 1 March 16:00Z; stale after 3 March 16:00Z.
    expect(isStale('2026-03-01', '2026-03-03T15:59:00Z')).toBe(false);
    expect(isStale('2026-03-01', '2026-03-03T16:01:00Z')).toBe(true);
  });
  it('expects last night on screen by 08:00 hospital time', () => {
    // 07:59 on 3 March in UTC+8 is 23:59Z on the 2nd: the night of the 1st is still the expected one.
    expect(behindSchedule('2026-03-01', '2026-03-02T23:59:00Z')).toBe(false);
    // 08:01 on 3 March (00:01Z): the night of the 2nd is due.
    expect(behindSchedule('2026-03-01', '2026-03-03T00:01:00Z')).toBe(true);
    expect(behindSchedule('2026-03-02', '2026-03-03T00:01:00Z')).toBe(false);
  });
});

describe('kiosk time', () => {
  it('reads the hospital\'s local time and windows over midnight', () => {
    const at = new Date('2026-03-02T16:30:00Z'); // 00:30 on 3 March in Shanghai
    expect(localTime('Asia/Shanghai', at)).toBe('00:30');
    expect(localDate('Asia/Shanghai', at)).toBe('2026-03-03');
    expect(inWindow('00:30', '22:00', '06:00')).toBe(true);
    expect(inWindow('06:00', '22:00', '06:00')).toBe(false);
    expect(inWindow('12:00', '08:00', '18:00')).toBe(true);
  });
});

describe('escaping and tones', () => {
  it('escapes every character markup could use', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe('&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;');
  });
  it('colours a change by the KPI\'s direction and places a value against its band', () => {
    expect(changeTone({ direction: 'lower_better' }, 0.1)).toBe('bad');
    expect(changeTone({ direction: 'higher_better' }, 0.1)).toBe('good');
    expect(changeTone({ direction: 'monitor' }, 0.1)).toBe('neutral');
    expect(changeTone({ direction: 'higher_better' }, null)).toBe('neutral');
    const band = { band: { low: 85, high: 93 } } as Parameters<typeof bandStatus>[0];
    expect([bandStatus(band, 84.9), bandStatus(band, 85), bandStatus(band, 93.1), bandStatus(band, null)]).toEqual(['below', 'in', 'above', undefined]);
  });
});

describe('the dictionary', () => {
  it('has every key in both languages, and no key twice across its sections', () => {
    const sections = [ADMIN_TEXT, ANALYST_TEXT, TABLET_TEXT, WALL_TEXT];
    const keys = sections.flatMap((s) => Object.keys(s));
    expect(new Set(keys).size).toBe(keys.length);
    // Suffixes English has no word for ("3月" is "3") are the only empty English texts.
    for (const s of sections) for (const [k, v] of Object.entries(s)) {
      expect(v.zh, k).not.toBe('');
      if (!k.endsWith('Suffix')) expect(v.en, k).not.toBe('');
    }
    expect(t('tablet.myAlerts' satisfies TextKey, 'zh')).toBe('本科室预警');
    expect(t('tablet.myAlerts', 'en')).toBe('My alerts');
  });
});
