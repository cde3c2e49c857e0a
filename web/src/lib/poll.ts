/**
 * The wall screens' refresh loop: every `everyMs` while fetches succeed; after failures, back off exponentially with
 * ±20% jitter (capped at `everyMs`) so that a room full of screens does not hammer a recovering API in step.
 * `refresh` reports success. Returns the function that stops the loop.
 */
export function startPolling(refresh: () => Promise<boolean>, everyMs: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let stopped = false;
  const loop = async (): Promise<void> => {
    failures = (await refresh()) ? 0 : failures + 1;
    if (stopped) return;
    const delay = failures === 0 ? everyMs : Math.min(everyMs, 5_000 * 2 ** Math.min(failures, 6)) * (0.8 + Math.random() * 0.4);
    timer = setTimeout(() => void loop(), delay);
  };
  void loop();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** Data as of day D covers D up to midnight (hospital time, UTC+8); stale once that is more than two nightly refreshes behind the server's clock. */
export function isStale(asOf: string, servedAt: string): boolean {
  const day = 86_400_000;
  return Date.parse(servedAt) - (Date.parse(`${asOf}T00:00:00+08:00`) + day) > 2 * day;
}

/**
 * Whether the night before the hospital's current day (UTC+8) should be on screen by now but is not: the nightly
 * pipeline has until `graceHours` past midnight to land it (late extracts are due by 06:00).
 */
export function behindSchedule(asOf: string, servedAt: string, graceHours = 8): boolean {
  const day = 86_400_000;
  const localDay = new Date(Date.parse(servedAt) + 8 * 3_600_000 - graceHours * 3_600_000).toISOString().slice(0, 10);
  const expected = new Date(Date.parse(`${localDay}T00:00:00Z`) - day).toISOString().slice(0, 10);
  return asOf < expected;
}
