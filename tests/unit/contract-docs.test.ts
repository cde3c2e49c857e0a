/** docs/data-contract.md is generated from the contract and kept in step with it (regenerate with `npm run docs`). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TABLES } from '../../functions/domain/contract.ts';
import { renderContractDocs } from '../../functions/domain/contract-docs.ts';

describe('contract docs', () => {
  it('lists every table, and the committed page is what the contract renders', () => {
    const page = renderContractDocs();
    for (const t of TABLES) expect(page, t.name).toContain(t.name);
    expect(readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'data-contract.md'), 'utf8')).toBe(`${page}\n`);
  });
});
