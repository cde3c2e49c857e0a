/** Renders the data contract as Markdown (docs/data-contract.md); a test keeps the file in sync with the contract. */
import { CONTRACT_VERSION, TABLES, type TableSpec } from './contract.ts';

const KIND: Record<TableSpec['kind'], string> = {
  reference: '参考数据 reference data — `dt` = the date the snapshot takes effect; readers use the newest partition on or before the as-of date',
  daily: '日数据 daily facts — `dt` = the business date; a correction is a re-delivery into that date\'s folder',
  monthly: '月数据 monthly facts — `dt` = the first day of the month the rows describe',
};

export function renderContractDocs(): string {
  const out: string[] = [
    `# 数据契约 Data contract v${CONTRACT_VERSION}`,
    '',
    '<!-- Generated from functions/domain/contract.ts by `npm run docs`; tests/unit/contract.test.ts fails when this file is out of date. -->',
    '',
    'Each source system drops one or more CSV files per table and night at `landing/<table>/dt=YYYY-MM-DD/*.csv`',
    '(UTF-8 with or without BOM, or GB18030; CRLF or LF; RFC 4180 quoting; a header row naming the columns below, in any order).',
    'Rows are validated against this contract; rejected rows go to `quarantine/<table>/dt=…/rejects.csv` with file, line, field and reason;',
    'accepted rows become `lake/<table>/dt=…/part-0.parquet`. Later files in a night (by name) win over earlier ones for the same key.',
    '',
    'Types: `string`; `integer`; `money` = yuan with at most two decimals (Parquet DECIMAL(18,2)); `decimal` (DECIMAL(18,4));',
    '`date` = YYYY-MM-DD (YYYY/M/D accepted); `month` = YYYY-MM; `boolean` = true/false, 1/0, 是/否.',
    '',
  ];
  for (const kind of ['reference', 'daily', 'monthly'] as const) {
    out.push(`## ${KIND[kind]}`, '');
    for (const t of TABLES.filter((x) => x.kind === kind)) {
      out.push(`### \`${t.name}\` — ${t.zh} ${t.en}`, '');
      out.push(`Source: ${t.source}. Key: ${t.key.map((k) => `\`${k}\``).join(' + ')}.${t.dateColumn ? ` Date column: \`${t.dateColumn}\`.` : ''}`);
      if (t.feeSum) out.push(`\`${t.feeSum.total}\` must equal the sum of ${t.feeSum.parts.map((p) => `\`${p}\``).join(', ')} to the cent.`);
      out.push('', '| column | type | required | unit | allowed / range | 说明 | description |', '|---|---|---|---|---|---|---|');
      for (const c of t.columns) {
        const range = c.allowed ? c.allowed.join(', ') : [c.min !== undefined ? `≥ ${c.min}` : '', c.max !== undefined ? `≤ ${c.max}` : ''].filter(Boolean).join(', ');
        out.push(`| \`${c.name}\` | ${c.type} | ${c.required ? 'yes' : 'no'} | ${c.unit ?? ''} | ${range} | ${c.zh} | ${c.en} |`);
      }
      out.push('');
    }
  }
  return out.join('\n');
}
