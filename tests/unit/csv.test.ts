import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, DecodeError, decodeExtract, parseCsv } from '../../functions/lake/csv.ts';

const rows = (text: string) => [...parseCsv(text)].map((r) => [r.line, r.fields]);

describe('CSV parsing', () => {
  it('handles CRLF, quotes, doubled quotes and newlines inside quotes, keeping start lines', () => {
    expect(rows('a,b\r\n"x, y","say ""hi"""\r\n"two\nlines",z\r\nlast,1')).toEqual([
      [1, ['a', 'b']],
      [2, ['x, y', 'say "hi"']],
      [3, ['two\nlines', 'z']],
      [5, ['last', '1']],
    ]);
  });

  it('skips blank lines and keeps empty fields', () => {
    expect(rows('a,,c\n\n,,\n')).toEqual([[1, ['a', '', 'c']], [3, ['', '', '']]]);
  });

  it('refuses an unterminated quote (a cut-off file) naming its line', () => {
    expect(() => rows('a,b\n1,"never closed\n')).toThrow(CsvSyntaxError);
    try {
      rows('a,b\n1,"never closed\n');
    } catch (e) {
      expect((e as CsvSyntaxError).line).toBe(2);
    }
  });
});

describe('decoding extracts', () => {
  it('reads UTF-8 with and without a BOM', () => {
    const utf8 = new TextEncoder().encode('院区');
    expect(decodeExtract(utf8)).toEqual({ text: '院区', encoding: 'utf-8' });
    expect(decodeExtract(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]))).toEqual({ text: '院区', encoding: 'utf-8-bom' });
  });

  it('reads GB18030 (院区 = D4 BA C7 F8)', () => {
    expect(decodeExtract(new Uint8Array([0xd4, 0xba, 0xc7, 0xf8]))).toEqual({ text: '院区', encoding: 'gb18030' });
  });

  it('refuses bytes that are neither, naming the byte offset', () => {
    const bad = new Uint8Array([0x61, 0x62, 0xff, 0xff, 0xff]);
    expect(() => decodeExtract(bad)).toThrow(DecodeError);
    try {
      decodeExtract(bad);
    } catch (e) {
      expect((e as DecodeError).byteOffset).toBe(2);
    }
  });
});
