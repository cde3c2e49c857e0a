import { describe, expect, it } from 'vitest';
import { cleanNumber, outputJson } from '../../functions/domain/output-numbers.ts';

describe('numbers at the edge of every JSON output', () => {
  it('removes floating-point noise and keeps every digit a figure has', () => {
    expect(cleanNumber(106572.75933000002)).toBe(106572.75933);
    expect(cleanNumber(0.1 + 0.2)).toBe(0.3);
    expect(cleanNumber(40400.82771)).toBe(40400.82771);
    expect(cleanNumber(9_876_543_210.12)).toBe(9_876_543_210.12); // ten billion yuan keeps its cents
    expect(cleanNumber(1.878912)).toBe(1.878912); // a CMI keeps its digits
    expect(cleanNumber(-0)).toBe(0);
    expect(Object.is(cleanNumber(-0), -0)).toBe(false);
    expect(cleanNumber(734654)).toBe(734654);
    expect(outputJson({ a: [0.1 + 0.2, { b: 106572.75933000002 }], n: null, s: '0.30000000000000004' })).toBe('{"a":[0.3,{"b":106572.75933}],"n":null,"s":"0.30000000000000004"}');
  });
});
