/** Renders the data contract as Markdown (docs/data-contract.md); a test keeps the file in sync with the contract. */
import { COLUMN_STORAGE, CONTRACT_VERSION, MAX_RECORD_CHARS, TABLES, type RowCheck, type TableSpec } from './contract.ts';
import { YEARS } from './row-validation.ts';

const KIND: Record<TableSpec['kind'], string> = {
  reference: '参考数据 reference data — `dt` = the date the snapshot takes effect; readers use the newest partition on or before the as-of date',
  daily: '日数据 daily facts — `dt` = the business date; a correction is a re-delivery into that date\'s folder',
  monthly: '月数据 monthly facts — `dt` = the first day of the month the rows describe',
};

const CHECK_TEXT: { [K in RowCheck['kind']]: (c: Extract<RowCheck, { kind: K }>) => string } = {
  product: (c) => `\`${c.total}\` must equal \`${c.factors[0]}\` × \`${c.factors[1]}\` (to the cent, ±0.01); a negative \`${c.factors[0]}\` is allowed only for a refund (negative \`${c.total}\`).`,
  date_order: (c) => `\`${c.first}\` must not be after \`${c.second}\`.`,
  day_span: (c) => `\`${c.days}\` must equal \`${c.to}\` − \`${c.from}\` in days (a same-day stay may count as 0 or 1).`,
};

export function renderContractDocs(): string {
  const ints = COLUMN_STORAGE.integer.integerRange!;
  const intRange = `${ints.min.toLocaleString('en')} to ${ints.max.toLocaleString('en')}, Parquet ${COLUMN_STORAGE.integer.sql}`;
  const money = COLUMN_STORAGE.money.decimal!;
  const dec = COLUMN_STORAGE.decimal.decimal!;
  const out: string[] = [
    `# 数据契约 Data contract v${CONTRACT_VERSION}`,
    '',
    '<!-- Generated from functions/domain/contract.ts by `npm run docs`; tests/unit/contract.test.ts fails when this file is out of date. -->',
    '',
    'Each source system drops one or more CSV files per table and night at `landing/<table>/dt=YYYY-MM-DD/*.csv`',
    '(UTF-8 with or without BOM, or GB18030; CRLF or LF; RFC 4180 quoting; a header row naming the columns below, in any order).',
    'Rows are validated against this contract; rejected rows go to `quarantine/<table>/dt=…/rejects.csv` with file, line, field and reason;',
    'accepted rows become `lake/<table>/dt=…/part-0.parquet`. Files of a night are applied in delivery order (arrival time, then name):',
    'for the same key the later delivery wins. Amounts may use thousands separators (`"1,234.50"`); they are stored without them.',
    'A column marked → table must hold a code of that reference table as of the night (its newest partition on or before `dt`);',
    'while a reference table has never been delivered its codes are not checked, and the ingest report says so.',
    '',
    `Types, with what the lake stores (a value outside it is a rejected row, never rounded): \`string\`; \`integer\` (${intRange});`,
    `\`money\` = yuan with at most ${money.scale} decimals and ${money.integerDigits} digits before the point (Parquet ${COLUMN_STORAGE.money.sql});`,
    `\`decimal\` with at most ${dec.scale} decimals and ${dec.integerDigits} digits before the point (${COLUMN_STORAGE.decimal.sql});`,
    `\`date\` = YYYY-MM-DD (YYYY/M/D accepted), \`month\` = YYYY-MM and \`timestamp\` = YYYY-MM-DD HH:MM[:SS[.mmm]], years ${YEARS.min}–${YEARS.max};`,
    '`boolean` = true/false, 1/0, y/n, 是/否.',
    '',
    'Refused whole, with a reason in the night\'s report: an undecodable file, a header that misses, adds, repeats or leaves',
    'unnamed a column, and broken quoting. Rejected as a row, with its line: a record over ' + MAX_RECORD_CHARS.toLocaleString('en') + ' characters, a quote',
    'where CSV allows none (`P2"mid`, `"P3"tail`), a control character (NUL, ESC, …) in a value, and the last line of a file that',
    'does not end with a line break (it may have been cut off: a re-delivery never replaces a good row with a truncated one).',
    '',
  ];
  for (const kind of ['reference', 'daily', 'monthly'] as const) {
    out.push(`## ${KIND[kind]}`, '');
    for (const t of TABLES.filter((x) => x.kind === kind)) {
      out.push(`### \`${t.name}\` — ${t.zh} ${t.en}`, '');
      out.push(`Source: ${t.source}. Key: ${t.key.map((k) => `\`${k}\``).join(' + ')}.${t.dateColumn ? ` Date column: \`${t.dateColumn}\`.` : ''}`);
      if (t.replacesBy === 'year') {
        out.push('Replaced year by year: a delivery replaces the years it carries (all their rows) and leaves every other year as earlier deliveries had it, so next year\'s table never erases this year\'s; a correction of a year applies to as-of dates from its night on. (Weights that change within a year, say from 1 July, cannot be expressed yet.)');
      }
      if (t.feeSum) out.push(`\`${t.feeSum.total}\` must equal the sum of ${t.feeSum.parts.map((p) => `\`${p}\``).join(', ')} to the cent.`);
      for (const c of t.checks ?? []) out.push(CHECK_TEXT[c.kind](c as never));
      out.push('', '| column | type | required | unit | allowed / range | 说明 | description |', '|---|---|---|---|---|---|---|');
      for (const c of t.columns) {
        const range = c.allowed ? c.allowed.join(', ') : [c.min !== undefined ? `≥ ${c.min}` : '', c.max !== undefined ? `≤ ${c.max}` : ''].filter(Boolean).join(', ');
        const refers = c.references ? `→ \`${c.references.table}\`` : '';
        out.push(`| \`${c.name}\` | ${c.type} | ${c.required ? 'yes' : 'no'} | ${c.unit ?? ''} | ${[range, refers].filter(Boolean).join(' ')} | ${c.zh} | ${c.en} |`);
      }
      out.push('');
    }
  }
  return out.join('\n');
}
