/**
 * What every wall screen keeps: its last good data, failed fetches counted (never navigator.onLine), whether it is
 * offline or stale and why, the root font size for chart text, and a refresh loop with backoff that stops on teardown.
 * Construct it while the component initialises. A kiosk sets the refresh interval for the screens it shows through
 * the `WALL_SETTINGS` context; a screen mounted again starts from the last data fetched (no blank frame).
 */
import { getContext, onMount } from 'svelte';
import { errorText } from './api';
import type { Lang } from './format';
import { behindSchedule, isStale, startPolling } from './poll';

export const DEFAULT_REFRESH_MS = 5 * 60_000;
export const WALL_SETTINGS = Symbol('opsdeck wall settings');
export interface WallSettings {
  refreshMs: number;
  /** Shown by a kiosk: no controls, nobody to press them. */
  kiosk: boolean;
}

const rootFontPx = (): number => parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;

interface Freshness {
  asOf: string;
  servedAt: string;
}

export type StaleReason = 'old_data' | 'pipeline_behind' | 'not_refreshed';

export class WallFeed<T extends Freshness> {
  data = $state.raw<T | undefined>();
  failures = $state(0);
  lastError = $state<string | undefined>();
  /** performance.now() of the last successful fetch (a monotonic clock: the device's wall clock may be wrong). */
  lastSuccess = $state(performance.now());
  /** Ticks every 30 s so that "not refreshed in time" can become true while nothing else changes. */
  private now = $state(performance.now());
  readonly refreshMs: number;
  /** Chart text follows the same short-side unit as the CSS, so it stays readable from across a room on 4K. */
  rem = $state(rootFontPx());
  readonly offline = $derived(this.failures > 0 && this.data !== undefined);
  /**
   * Why the data on screen cannot be trusted as current, or null: the snapshot is more than two nightly runs old; last
   * night's run has not landed by 08:00 (the pipeline failed or is late); or no fetch has succeeded for twice the
   * refresh interval.
   */
  readonly staleReason = $derived.by((): StaleReason | null => {
    const d = this.data;
    if (!d) return null;
    if (isStale(d.asOf, d.servedAt)) return 'old_data';
    if (behindSchedule(d.asOf, d.servedAt)) return 'pipeline_behind';
    if (this.now - this.lastSuccess > 2 * this.refreshMs) return 'not_refreshed';
    return null;
  });
  readonly stale = $derived(this.staleReason !== null);

  /**
   * `key` names what the data depends on (scope, as-of): when it changes the screen fetches at once. `cached` gives the
   * last value fetched for the same request, if any.
   */
  constructor(private readonly load: () => Promise<T>, private readonly lang: () => Lang, key: () => unknown, cached?: () => T | undefined) {
    this.refreshMs = getContext<WallSettings | undefined>(WALL_SETTINGS)?.refreshMs ?? DEFAULT_REFRESH_MS;
    this.data = cached?.();
    onMount(() => {
      const stop = startPolling(this.refresh, this.refreshMs);
      const measure = (): void => void (this.rem = rootFontPx());
      const tick = setInterval(() => (this.now = performance.now()), 30_000);
      measure();
      window.addEventListener('resize', measure);
      return () => {
        stop();
        clearInterval(tick);
        window.removeEventListener('resize', measure);
      };
    });
    let previous = key();
    $effect(() => {
      const k = key();
      if (k !== previous) {
        previous = k;
        void this.refresh();
      }
    });
  }

  refresh = async (): Promise<boolean> => {
    try {
      this.data = await this.load();
      this.failures = 0;
      this.lastError = undefined;
      this.lastSuccess = this.now = performance.now();
      return true;
    } catch (e) {
      this.failures++;
      this.lastError = errorText(e, this.lang());
      this.now = performance.now();
      return false;
    }
  };
}
