/** Data quality: a night's assessment (what arrived, what was rejected, what is late) and its quarantined rows as delivered. */
import { z } from 'zod';
import { isIsoDate } from '../../domain/calendar.ts';
import { isContractTable } from '../../domain/contract.ts';
import { badRequest, notAllowed, notConfigured, notFound } from '../../domain/user-error.ts';
import { rejectsKey } from '../../lake/layout.ts';
import { assessQuality, readRejects, reportedNights } from '../../lake/reports.ts';
import { audit } from '../access.ts';
import type { QualityResponse, RejectsResponse } from '../contract.ts';
import { inertCsv } from '../export.ts';
import { checked, type ApiApp, type RouteContext } from './context.ts';

const qualityQuery = z.object({ date: z.string().refine(isIsoDate).optional() });
const rejectsQuery = z.object({
  table: z.string().refine(isContractTable),
  date: z.string().refine(isIsoDate),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  format: z.enum(['json', 'csv']).default('json'),
});

export function qualityRoutes(app: ApiApp, { deps, now }: RouteContext): void {
  const reports = () => {
    if (!deps.store) throw notConfigured('此部署未配置数据质量报告存储', 'Data-quality reports are not configured in this deployment');
    return deps.store;
  };

  app.get('/api/quality', async (c) => {
    if (!c.get('grants').quality) throw notAllowed('数据质量页仅院领导、运营分析与管理员可见', 'data quality is for leadership, analysts and administrators');
    const store = reports();
    const q = checked(qualityQuery, c.req.query(), '参数错误：date 应为 YYYY-MM-DD 格式的有效日期', 'Bad query: date must be a valid date YYYY-MM-DD');
    const assessment = await assessQuality(store, q.date);
    if (!assessment) {
      throw notFound('no_report', `${q.date ?? ''} 及之前还没有任何导入报告，请先运行 opsdeck ingest`, `No ingest report on or before ${q.date ?? 'today'}: run opsdeck ingest first`);
    }
    c.header('Cache-Control', 'no-cache');
    const body: QualityResponse = { ...assessment, servedAt: now(), available: (await reportedNights(store)).reverse().slice(0, 120) };
    return c.json(body);
  });

  app.get('/api/quality/rejects', async (c) => {
    if (!c.get('grants').rejects) throw notAllowed('被拒收的原始记录仅运营分析与管理员可查看', 'rejected rows as delivered are for analysts and administrators');
    const store = reports();
    const parsed = rejectsQuery.safeParse(c.req.query());
    if (!parsed.success) {
      throw badRequest('参数错误：table 为数据契约中的表名，date 为 YYYY-MM-DD，offset ≥ 0，limit 为 1–1000，format 为 json 或 csv',
        'Bad query: table must be a data-contract table, date YYYY-MM-DD, offset ≥ 0, limit 1–1000, format json or csv');
    }
    const { table, date, offset, limit, format } = parsed.data;
    if (format === 'csv') {
      const bytes = await store.get(rejectsKey(table, date));
      if (!bytes) throw notFound('no_rejects', `${table} 在 ${date} 没有被拒收的行`, `No rejected rows for ${table} on ${date}`);
      // Rows as parsed (a raw record may hold a quoted line break), not lines.
      await audit(deps.access, c, 'export.rejects.csv', 'hospital', (await readRejects(store, table, date, 0, 1))?.total ?? 0, now());
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="rejects-${table}-${date}.csv"`);
      c.header('Cache-Control', 'no-store');
      return c.body(inertCsv(new TextDecoder().decode(bytes)));
    }
    const page = await readRejects(store, table, date, offset, limit);
    await audit(deps.access, c, 'quality.rejects', 'hospital', page?.rows.length ?? 0, now());
    return c.json({ table, date, offset, total: page?.total ?? 0, rows: page?.rows ?? [] } satisfies RejectsResponse);
  });
}
