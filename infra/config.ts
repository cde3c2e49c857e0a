/**
 * The deployment's settings, from CDK context (`cdk.json` or `-c key=value`): the few things a hospital's cloud team
 * decides. Each is validated here, so a wrong value stops `cdk synth` with the key named instead of failing mid-deploy.
 */
export interface DeployConfig {
  /** Shown in the alarm e-mails and the resource descriptions. */
  hospitalName: string;
  /** IANA zone of the hospital: the nightly schedule, "today" and the screens' dates. */
  timeZone: string;
  /** Receives the alarms (failed ingest or aggregate, a missed night, new P1 alerts, API errors). */
  adminEmail: string;
  /** Origins allowed to call the API across origins (the CloudFront site itself is same-origin). */
  allowedOrigins: string[];
  /** Hour and minute (hospital time) the nightly aggregate runs: after the extracts' deadline (06:00 by default). */
  aggregateAt: { hour: number; minute: number };
  /** How long raw extracts (landing) and rejected rows are kept, in days. */
  rawRetentionDays: number;
  /** CloudWatch log retention, in days (one of CloudWatch's allowed values). */
  logRetentionDays: number;
  /** Athena stops any query that would scan more than this many bytes. */
  scanCutoffBytes: number;
  /** Countries whose viewers CloudFront serves (ISO 3166-1 alpha-2); empty for everywhere. */
  geoAllowlist: string[];
  /** Optional custom domain with its ACM certificate (us-east-1): enables TLS 1.2 as the minimum for viewers. */
  domainName?: string;
  certificateArn?: string;
  /** Optional WAF web ACL (CLOUDFRONT scope, created in us-east-1) for the site and API. */
  webAclArn?: string;
}

export const DEFAULTS = {
  hospitalName: '示例医院 Demo Hospital',
  timeZone: 'Asia/Shanghai',
  allowedOrigins: '',
  aggregateAt: '06:30',
  rawRetentionDays: '3650',
  logRetentionDays: '400',
  scanCutoffGb: '10',
  geoAllowlist: 'CN,HK,MO',
} as const;

const LOG_RETENTIONS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export class ConfigError extends Error {}

/** Reads the settings through `get` (the CDK app's `node.tryGetContext`). */
export function readDeployConfig(get: (key: string) => unknown): DeployConfig {
  const problems: string[] = [];
  const text = (key: string, fallback?: string): string => {
    const v = get(key);
    // Unset takes the default; an empty value means "none" (e.g. geoAllowlist "" serves every country).
    if (v === undefined || v === null) return fallback ?? '';
    return String(v).trim();
  };
  const int = (key: string, fallback: string, ok: (n: number) => boolean, what: string): number => {
    const raw = text(key, fallback);
    const n = Number(raw);
    if (!Number.isInteger(n) || !ok(n)) problems.push(`${key}=${raw}: ${what}`);
    return n;
  };
  const list = (key: string, fallback: string): string[] => text(key, fallback).split(',').map((s) => s.trim()).filter(Boolean);

  const hospitalName = text('hospitalName', DEFAULTS.hospitalName);
  const timeZone = text('timeZone', DEFAULTS.timeZone);
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    problems.push(`timeZone=${timeZone}: 不是 IANA 时区 / not an IANA time zone (e.g. Asia/Shanghai)`);
  }
  const adminEmail = text('adminEmail');
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(adminEmail)) problems.push(`adminEmail=${adminEmail || '(unset)'}: 需要接收告警的邮箱 / an e-mail address for the alarms is required`);
  const allowedOrigins = list('allowedOrigins', DEFAULTS.allowedOrigins);
  for (const o of allowedOrigins) if (!/^https:\/\/[a-z0-9.-]+(:\d+)?$/i.test(o)) problems.push(`allowedOrigins: ${o} 不是 https 源 / is not an https origin (https://host[:port])`);
  const at = /^(\d{1,2}):(\d{2})$/.exec(text('aggregateAt', DEFAULTS.aggregateAt));
  const aggregateAt = at && Number(at[1]) < 24 && Number(at[2]) < 60 ? { hour: Number(at[1]), minute: Number(at[2]) } : { hour: NaN, minute: NaN };
  if (!at || Number.isNaN(aggregateAt.hour)) problems.push(`aggregateAt=${text('aggregateAt')}: 应为 HH:MM / expected HH:MM (hospital time)`);
  const rawRetentionDays = int('rawRetentionDays', DEFAULTS.rawRetentionDays, (n) => n >= 365, 'at least 365 days / 至少 365 天');
  const logRetentionDays = int('logRetentionDays', DEFAULTS.logRetentionDays, (n) => LOG_RETENTIONS.includes(n) && n >= 365, `one of CloudWatch's values from 365: ${LOG_RETENTIONS.filter((n) => n >= 365).join(', ')}`);
  const scanCutoffGb = int('scanCutoffGb', DEFAULTS.scanCutoffGb, (n) => n >= 1 && n <= 1000, 'between 1 and 1000 GB');
  const geoAllowlist = list('geoAllowlist', DEFAULTS.geoAllowlist).map((c) => c.toUpperCase());
  for (const c of geoAllowlist) if (!/^[A-Z]{2}$/.test(c)) problems.push(`geoAllowlist: ${c} 不是两位国家代码 / is not an ISO 3166-1 alpha-2 code`);
  const domainName = text('domainName') || undefined;
  const certificateArn = text('certificateArn') || undefined;
  if (Boolean(domainName) !== Boolean(certificateArn)) problems.push('domainName 与 certificateArn 需同时给出 / give domainName and certificateArn together');
  if (certificateArn && !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/.test(certificateArn)) problems.push(`certificateArn=${certificateArn}: CloudFront 需要 us-east-1 的 ACM 证书 / CloudFront needs an ACM certificate in us-east-1`);
  const webAclArn = text('webAclArn') || undefined;
  if (webAclArn && !/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/.+$/.test(webAclArn)) problems.push(`webAclArn=${webAclArn}: 需要 CLOUDFRONT 范围（us-east-1, global）的 WAF ACL / needs a CLOUDFRONT-scope web ACL (us-east-1, global)`);

  if (problems.length) throw new ConfigError(`部署参数有误 / deployment settings are invalid (cdk.json "context" or -c key=value):\n  - ${problems.join('\n  - ')}`);
  return { hospitalName, timeZone, adminEmail, allowedOrigins, aggregateAt, rawRetentionDays, logRetentionDays, scanCutoffBytes: scanCutoffGb * 1024 ** 3, geoAllowlist, domainName, certificateArn, webAclArn };
}
