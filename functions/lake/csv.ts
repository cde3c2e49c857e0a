/** Decoding and RFC 4180 parsing of hospital extracts, keeping the line each record starts on. */

export type Encoding = 'utf-8' | 'utf-8-bom' | 'gb18030';

export class DecodeError extends Error {
  /** 1-based line of the offending byte (line feeds before it + 1). */
  readonly line: number;
  constructor(readonly byteOffset: number, readonly mixed = false, bytes?: Uint8Array) {
    const line = bytes ? lineAtByte(bytes, byteOffset) : 0;
    const at = line ? { zh: `第 ${line} 行（第 ${byteOffset} 字节）起`, en: `from line ${line} (byte offset ${byteOffset})` } : { zh: `第 ${byteOffset} 字节起`, en: `from byte offset ${byteOffset}` };
    super(mixed
      ? `文件混用了编码：大部分是 UTF-8，但${at.zh}不是（可能有一段是 GBK/GB18030），请整份另存为 UTF-8 / mixed encodings: mostly UTF-8 but not ${at.en} (part of it may be GBK/GB18030): save the whole file as UTF-8`
      : `文件既不是有效的 UTF-8 也不是 GB18030 编码（${at.zh}） / not valid UTF-8 or GB18030 (${at.en})`);
    this.line = line;
  }
}

function lineAtByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 10) line++;
  return line;
}

/** Valid multi-byte UTF-8 sequences and invalid bytes: text in GB18030 has almost no valid sequences, a UTF-8 file with one GBK line has many. */
function utf8Census(bytes: Uint8Array): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    let ok = need > 0;
    for (let k = 1; ok && k <= need; k++) ok = ((bytes[i + k] ?? 0) & 0xc0) === 0x80;
    if (ok) {
      valid++;
      i += need + 1;
    } else {
      invalid++;
      i++;
    }
  }
  return { valid, invalid };
}

/** Offset of the first byte that breaks UTF-8, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** UTF-8 (with or without BOM) if the bytes are valid UTF-8, else GB18030 (what Excel saves on a Chinese Windows). */
export function decodeExtract(bytes: Uint8Array): { text: string; encoding: Encoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const bad = firstInvalidUtf8(bytes.subarray(3));
    if (bad >= 0) throw new DecodeError(bad + 3, false, bytes);
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad < 0) return { text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8' };
  const census = utf8Census(bytes);
  if (census.valid > census.invalid) throw new DecodeError(bad, true, bytes);
  try {
    // GB18030's own byte-order mark (84 31 95 33) decodes to U+FEFF: drop it like the UTF-8 one.
    const text = new TextDecoder('gb18030', { fatal: true }).decode(bytes);
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, encoding: 'gb18030' };
  } catch {
    throw new DecodeError(bad, false, bytes);
  }
}

export interface CsvRecord {
  /** 1-based line number where the record starts. */
  line: number;
  fields: string[];
  /** The record as it stood in the file, for the quarantine. */
  raw: string;
  /** False for a last record that the file does not end with a line break after (it may have been cut off). */
  terminated: boolean;
  /** 1-based field positions holding a quote where RFC 4180 allows none (`P2"mid`, `"P3"tail`): the value is uncertain. */
  strayQuotes?: number[];
}

export class CsvSyntaxError extends Error {
  constructor(readonly line: number, message: string) {
    super(message);
  }
}

/** Parses CSV text (CRLF or LF, quoted fields with doubled quotes and embedded newlines). Skips blank lines. */
export function* parseCsv(text: string): Generator<CsvRecord> {
  const n = text.length;
  let pos = 0;
  let line = 1;
  while (pos < n) {
    const startLine = line;
    const start = pos;
    const fields: string[] = [];
    let field = '';
    let fieldStart = pos;
    let quoted = false;
    /** The current field was quoted and its quote has closed: only a separator or a line end may follow. */
    let closed = false;
    let stray: number[] | undefined;
    const markStray = (): void => {
      const at = fields.length + 1;
      if (stray?.at(-1) !== at) (stray ??= []).push(at);
    };
    let done = false;
    while (!done) {
      if (pos >= n) {
        if (quoted) throw new CsvSyntaxError(startLine, `第 ${startLine} 行起的引号未闭合（文件可能被截断） / unterminated quote starting at line ${startLine} (file may be truncated)`);
        fields.push(field + text.slice(fieldStart, pos));
        if (!(fields.length === 1 && fields[0] === '')) yield { line: startLine, fields, raw: text.slice(start, n), terminated: false, ...(stray ? { strayQuotes: stray } : {}) };
        done = true;
        break;
      }
      const ch = text.charCodeAt(pos);
      if (quoted) {
        if (ch === 34 /* " */) {
          if (text.charCodeAt(pos + 1) === 34) {
            field += text.slice(fieldStart, pos + 1);
            pos += 2;
            fieldStart = pos;
          } else {
            field += text.slice(fieldStart, pos);
            quoted = false;
            closed = true;
            pos++;
            fieldStart = pos;
          }
        } else {
          if (ch === 10) line++;
          pos++;
        }
      } else if (ch === 44 /* , */) {
        fields.push(field + text.slice(fieldStart, pos));
        field = '';
        closed = false;
        pos++;
        fieldStart = pos;
      } else if (ch === 10 || ch === 13) {
        fields.push(field + text.slice(fieldStart, pos));
        const end = pos;
        if (ch === 13 && text.charCodeAt(pos + 1) === 10) pos++;
        pos++;
        line++;
        done = true;
        if (!(fields.length === 1 && fields[0] === '')) yield { line: startLine, fields, raw: text.slice(start, end), terminated: true, ...(stray ? { strayQuotes: stray } : {}) };
      } else if (ch === 34 && pos === fieldStart && field === '' && !closed) {
        quoted = true;
        pos++;
        fieldStart = pos;
      } else {
        // A quote inside an unquoted field, or anything after a quoted field's closing quote, breaks RFC 4180.
        if (ch === 34 || (closed && ch !== 32 && ch !== 9)) markStray();
        pos++;
      }
    }
  }
}

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvLine(values: readonly string[]): string {
  return values.map(csvField).join(',') + '\n';
}
