/** Roles from configuration: validated with the file named, and a director reaches only their own departments. */
import { describe, expect, it } from 'vitest';
import { parseRoles, reachesDepartment } from '../../functions/domain/roles.ts';

describe('roles', () => {
  it('names the file and the field of a bad roles file, and a role given twice', () => {
    expect(() => parseRoles({ version: 1, roles: [] }, 'config/roles.json')).toThrow(/config\/roles\.json/);
    expect(() => parseRoles({ version: 2, roles: [] }, 'r.json')).toThrow(/version/);
  });
  it('lets "own" reach only the principal\'s departments, "all" every one, and "playlist" or "none" none', () => {
    const director = { departments: ['D1', 'D2'] };
    expect(reachesDepartment('own', director, 'D2')).toBe(true);
    expect(reachesDepartment('own', director, 'D3')).toBe(false);
    expect(reachesDepartment('all', director, 'D3')).toBe(true);
    expect(reachesDepartment('playlist', director, 'D1')).toBe(false);
    expect(reachesDepartment('none', director, 'D1')).toBe(false);
  });
});
