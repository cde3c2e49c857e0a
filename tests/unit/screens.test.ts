/** The screens' registry: a wall asks only for wall screens; a department's view is the tablet's. */
import { describe, expect, it } from 'vitest';
import { isWallScreen, SCREENS } from '../../functions/domain/screens.ts';

describe('screens', () => {
  it('knows the wall screens and refuses the rest', () => {
    expect(['campus', 'drg', 'budget', 'budget-lines', 'department', 'toString', '__proto__'].map(isWallScreen)).toEqual([true, true, true, true, false, false, false]);
    expect(SCREENS.department.scope).toBe('department');
  });
});
