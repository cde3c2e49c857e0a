/** A configuration file's problems are named field by field. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { zodProblems } from '../../functions/domain/config-errors.ts';

describe('config errors', () => {
  it('names each field\'s path and the root', () => {
    const r = z.object({ a: z.array(z.object({ b: z.number() })) }).safeParse({ a: [{ b: 'x' }] });
    expect(r.success).toBe(false);
    if (!r.success) expect(zodProblems(r.error)).toMatch(/^a\.0\.b: /);
    const root = z.object({}).strict().safeParse(3);
    if (!root.success) expect(zodProblems(root.error)).toMatch(/^\(root\): /);
  });
});
