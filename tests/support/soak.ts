/**
 * Drives a kiosk playlist through many slide changes in real Chromium and reads the page's memory the way DevTools
 * does (CDP, after a forced garbage collection): JS heap, DOM nodes, documents and event listeners.
 */
import type { Page } from 'playwright-core';

export interface MemoryReading {
  heapMB: number;
  nodes: number;
  documents: number;
  listeners: number;
}

export async function readMemory(page: Page): Promise<MemoryReading> {
  const cdp = await page.context().newCDPSession(page);
  try {
    // Twice: the first pass can leave objects that finalizers release for the second.
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const dom = await cdp.send('Memory.getDOMCounters');
    return { heapMB: heap.usedSize / 2 ** 20, nodes: dom.nodes, documents: dom.documents, listeners: dom.jsEventListeners };
  } finally {
    await cdp.detach();
  }
}

/** Steps the playlist `steps` times (arrow key: the operator's "next"), waiting each time for the new screen's data. */
export async function rotate(page: Page, steps: number): Promise<void> {
  for (let i = 0; i < steps; i++) {
    const turn = Number(await page.getAttribute('[data-testid="kiosk"]', 'data-turn'));
    await page.keyboard.press('ArrowRight');
    await page.locator(`[data-testid="kiosk"][data-turn="${turn + 1}"] [data-testid="freshness"]`).waitFor();
  }
}

/**
 * Brings a freshly opened kiosk to the steady state its memory is measured from: every screen's code, data and
 * templates (Svelte keeps one detached template per block it has shown; the ticker shows its later pages after 10 s).
 */
export async function warmUp(page: Page): Promise<void> {
  await page.locator('[data-testid="kiosk"] [data-testid="freshness"]').waitFor();
  await rotate(page, 40);
  await page.waitForTimeout(11_000);
  await rotate(page, 40);
}
