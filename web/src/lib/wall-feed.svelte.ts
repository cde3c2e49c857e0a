/**
 * What every wall screen keeps: its last good data, failed fetches counted (never navigator.onLine), whether it is
 * offline or stale, the root font size for chart text, and a refresh loop with backoff that stops on teardown.
 * Construct it while the component initialises.
 */
import { onMount } from 'svelte';
import { ApiFailure } from './api';
import type { Lang } from './format';
import { isStale, startPolling } from './poll';

const REFRESH_MS = 5 * 60_000;
const rootFontPx = (): number => parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;

export class WallFeed<T extends { asOf: string; servedAt: string }> {
  data = $state.raw<T | undefined>();
  failures = $state(0);
  lastError = $state<string | undefined>();
  /** Chart text follows the same short-side unit as the CSS, so it stays readable from across a room on 4K. */
  rem = $state(rootFontPx());
  readonly offline = $derived(this.failures > 0 && this.data !== undefined);
  readonly stale = $derived(this.data ? isStale(this.data.asOf, this.data.servedAt) : false);

  /** `key` names what the data depends on (scope, as-of): when it changes the screen fetches at once. */
  constructor(private readonly load: () => Promise<T>, private readonly lang: () => Lang, key: () => unknown) {
    onMount(() => {
      const stop = startPolling(this.refresh, REFRESH_MS);
      const measure = (): void => void (this.rem = rootFontPx());
      measure();
      window.addEventListener('resize', measure);
      return () => {
        stop();
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
      return true;
    } catch (e) {
      this.failures++;
      this.lastError = e instanceof ApiFailure && e.body ? (this.lang() === 'zh' ? e.body.error.zh : e.body.error.en) : String(e);
      return false;
    }
  };
}
