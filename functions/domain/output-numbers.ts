/**
 * The one rounding rule at the edge of every JSON output (snapshots as stored, explorer answers): binary floating-point
 * noise is removed (106572.75933000002 → 106572.75933, 0.30000000000000004 → 0.3) by keeping 12 significant digits,
 * which every figure OpsDeck shows fits in (money to the cent up to 10¹⁰ yuan, ratios to 10⁻⁶); −0 becomes 0. How many
 * digits a figure is *shown* with is the screen's and the export's business (money to the cent in CSV and XLSX).
 */
const SIGNIFICANT = 12;

export function cleanNumber(n: number): number {
  if (!Number.isFinite(n) || Number.isInteger(n)) return n === 0 ? 0 : n;
  return Number(n.toPrecision(SIGNIFICANT));
}

/** `JSON.stringify` with every number cleaned. */
export const outputJson = (value: unknown): string => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' ? cleanNumber(v) : v));
