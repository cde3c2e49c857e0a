/** The one user-facing error: the API's body and the CLI's text carry both languages and where. */
import { describe, expect, it } from 'vitest';
import { badRequest, notAllowed, UserError } from '../../functions/domain/user-error.ts';

describe('UserError', () => {
  it('answers the API with its code, both languages and the place', () => {
    const e = badRequest('第 3 行日期无效', 'line 3: bad date', 'bad_row', { file: 'visits.csv', line: 3, field: 'visit_date' });
    expect(e).toBeInstanceOf(UserError);
    expect(e.status).toBe(400);
    expect(e.body()).toEqual({ error: { code: 'bad_row', zh: '第 3 行日期无效', en: 'line 3: bad date', file: 'visits.csv', line: 3, field: 'visit_date' } });
    expect(e.text()).toBe('第 3 行日期无效\nline 3: bad date\n(visits.csv, line 3, visit_date)');
    expect(e.message).toBe('第 3 行日期无效 / line 3: bad date');
  });
  it('words every refusal the same way', () => {
    expect(notAllowed('仅管理员', 'administrators only').body().error).toEqual({ code: 'forbidden', zh: '无权访问：仅管理员', en: 'Not allowed: administrators only' });
    expect(notAllowed('x', 'y').status).toBe(403);
  });
});
