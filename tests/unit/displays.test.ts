/** Wall display configuration: the schema, the shipped file, and the time windows for night dimming and the quiet hour. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inWindow, parseDisplays } from '../../functions/domain/displays.ts';
import { inWindow as webInWindow, localTime } from '../../web/src/lib/kiosk.ts';

const minimal = (over: Record<string, unknown> = {}) => ({ version: 1, displays: [{ id: 'a', zh: '甲', en: 'A', slides: [{ screen: 'campus', dwellSeconds: 30 }], ...over }] });

describe('display configuration', () => {
  it('ships displays that parse, with defaults filled in', () => {
    const shipped = parseDisplays(JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'data', 'displays.json'), 'utf8')), 'data/displays.json');
    expect(shipped.map((d) => d.id)).toEqual(['lobby', 'president', 'insurance-office']);
    expect(parseDisplays(minimal(), 'x')[0]).toMatchObject({ refreshSeconds: 300, lang: 'zh', dim: null, reloadAt: '04:30', slides: [{ screen: 'campus', scope: 'hospital', dwellSeconds: 30 }] });
  });

  it('refuses a bad file, naming the file and the field', () => {
    expect(() => parseDisplays(minimal({ slides: [{ screen: 'campus', dwellSeconds: 2 }] }), 'cfg/displays.json')).toThrow(/cfg\/displays\.json.*displays\.0\.slides\.0\.dwellSeconds/);
    expect(() => parseDisplays(minimal({ slides: [{ screen: 'weather', dwellSeconds: 30 }] }), 'f')).toThrow(/slides\.0\.screen/);
    expect(() => parseDisplays(minimal({ dim: { from: '25:00', to: '07:00', level: 0.3 } }), 'f')).toThrow(/dim\.from.*HH:MM/);
    expect(() => parseDisplays(minimal({ reloadAt: '4:30' }), 'f')).toThrow(/reloadAt/);
    expect(() => parseDisplays({ version: 1, displays: [minimal().displays[0], minimal().displays[0]] }, 'f')).toThrow(/"a" appears twice/);
    expect(() => parseDisplays(minimal({ colour: 'red' }), 'f')).toThrow(/colour|Unrecognized/);
  });

  it('reads dimming windows within a day and over midnight, start inclusive and end exclusive', () => {
    expect([inWindow('08:59', '09:00', '17:00'), inWindow('09:00', '09:00', '17:00'), inWindow('16:59', '09:00', '17:00'), inWindow('17:00', '09:00', '17:00')]).toEqual([false, true, true, false]);
    expect([inWindow('21:59', '22:00', '07:00'), inWindow('22:00', '22:00', '07:00'), inWindow('00:00', '22:00', '07:00'), inWindow('06:59', '22:00', '07:00'), inWindow('07:00', '22:00', '07:00')]).toEqual([false, true, true, true, false]);
    expect(inWindow('12:00', '10:00', '10:00')).toBe(false); // an empty window
  });

  it('the browser copy of the window rule agrees with the domain at every minute of the day', () => {
    const windows: [string, string][] = [['22:00', '07:00'], ['09:00', '17:00'], ['00:00', '23:59'], ['19:00', '07:30'], ['10:00', '10:00']];
    for (const [from, to] of windows) {
      for (let m = 0; m < 1440; m++) {
        const t = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        expect(webInWindow(t, from, to)).toBe(inWindow(t, from, to));
      }
    }
    // Hospital time, not the device's: 2026-11-22T16:30Z is 00:30 the next day in Shanghai.
    expect(localTime('Asia/Shanghai', new Date('2026-11-22T16:30:00Z'))).toBe('00:30');
  });
});
