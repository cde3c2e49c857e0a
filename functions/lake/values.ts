/**
 * A query's values as the domain reads them: one converter for every reader of the lake (a missing number is 0 only
 * where a sum of nothing is 0; text is '' when absent). Engines return numbers, bigints as numbers, or numeric text.
 */
export const num = (v: unknown): number => (typeof v === 'number' ? v : v === null || v === undefined ? 0 : Number(v));
export const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
