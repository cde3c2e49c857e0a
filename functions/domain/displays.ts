/**
 * Wall displays as data: which screens a display rotates through (and for which campus), how long each stays, how
 * often data refreshes, the language, night dimming and the quiet hour of the backstop reload. Shipped defaults in
 * data/displays.json; a hospital's own list in <data folder>/config/displays.json replaces them.
 */
import { z } from 'zod';
import { zodProblems } from './config-errors.ts';

export const WALL_SCREENS = ['campus', 'drg', 'budget', 'alerts'] as const;
export type WallScreen = (typeof WALL_SCREENS)[number];

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM (24-hour, hospital time)');

const slideSchema = z.object({
  screen: z.enum(WALL_SCREENS),
  /** A campus code or "hospital"; screens without scopes ignore it. */
  scope: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/).default('hospital'),
  dwellSeconds: z.number().int().min(5).max(3600),
}).strict();

const displaySchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'lower-case letters, digits and hyphens'),
  zh: z.string().min(1),
  en: z.string().min(1),
  slides: z.array(slideSchema).min(1).max(50),
  /** How often a screen asks for new data (its snapshot changes nightly; this is how soon a display notices). */
  refreshSeconds: z.number().int().min(30).max(86_400).default(300),
  lang: z.enum(['zh', 'en']).default('zh'),
  /** Dim the screen between these hospital-local times (over midnight when `from` > `to`), to `level` brightness. */
  dim: z.object({ from: time, to: time, level: z.number().min(0.05).max(1) }).strict().nullable().default(null),
  /** A soft reload once a day at this quiet hour: a backstop, not the way memory is kept bounded. */
  reloadAt: time.nullable().default('04:30'),
}).strict();

const fileSchema = z.object({ version: z.literal(1), displays: z.array(displaySchema).min(1) }).strict();

export type DisplaySlide = z.infer<typeof slideSchema>;
export type DisplayConfig = z.infer<typeof displaySchema>;

/** Parses a displays file, naming the file and the offending field; ids must be unique. */
export function parseDisplays(json: unknown, source: string): DisplayConfig[] {
  const r = fileSchema.safeParse(json);
  if (!r.success) {
    const problems = zodProblems(r.error);
    throw new Error(`大屏配置无效 ${source}：${problems} / invalid display configuration ${source}: ${problems}`);
  }
  const seen = new Set<string>();
  for (const d of r.data.displays) {
    if (seen.has(d.id)) throw new Error(`大屏配置无效 ${source}：大屏 ${d.id} 重复 / invalid display configuration ${source}: display "${d.id}" appears twice`);
    seen.add(d.id);
  }
  return r.data.displays;
}

/** Minutes since midnight of an HH:MM time. */
const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether hospital-local time `hhmm` falls in [from, to), the window running over midnight when from > to. */
export function inWindow(hhmm: string, from: string, to: string): boolean {
  const t = minutes(hhmm);
  const a = minutes(from);
  const b = minutes(to);
  return a <= b ? t >= a && t < b : t >= a || t < b;
}
