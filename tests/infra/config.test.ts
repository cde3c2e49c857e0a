/** The deployment settings: defaults, and each wrong value refused with its key named before anything is synthesised. */
import { describe, expect, it } from 'vitest';
import { ConfigError, readDeployConfig } from '../../infra/config.ts';

const read = (ctx: Record<string, unknown>) => readDeployConfig((k) => ctx[k]);

describe('deployment settings', () => {
  it('needs only the administrator\'s e-mail; the rest has hospital defaults', () => {
    expect(read({ adminEmail: 'it@hospital.example' })).toEqual({
      hospitalName: '示例医院 Demo Hospital', timeZone: 'Asia/Shanghai', adminEmail: 'it@hospital.example', allowedOrigins: [], aggregateAt: { hour: 6, minute: 30 },
      rawRetentionDays: 3650, logRetentionDays: 400, scanCutoffBytes: 10 * 1024 ** 3, geoAllowlist: ['CN', 'HK', 'MO'],
      domainName: undefined, certificateArn: undefined, webAclArn: undefined,
    });
    expect(read({ adminEmail: 'it@hospital.example', allowedOrigins: 'https://bi.hospital.example, https://oa.hospital.example:8443', geoAllowlist: '', scanCutoffGb: 2 })).toMatchObject({
      allowedOrigins: ['https://bi.hospital.example', 'https://oa.hospital.example:8443'], geoAllowlist: [], scanCutoffBytes: 2 * 1024 ** 3,
    });
  });

  it('names every wrong key at once', () => {
    let message = '';
    try {
      read({ adminEmail: 'nobody', timeZone: 'Beijing', aggregateAt: '25:00', rawRetentionDays: 30, logRetentionDays: 100, scanCutoffGb: 0, allowedOrigins: 'http://insecure.example', geoAllowlist: 'China', domainName: 'ops.hospital.example', webAclArn: 'arn:aws:wafv2:cn-north-1:123456789012:regional/webacl/x/y' });
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      message = (e as Error).message;
    }
    for (const part of [
      'adminEmail=nobody', 'timeZone=Beijing: 不是 IANA 时区', 'aggregateAt=25:00', 'rawRetentionDays=30', 'logRetentionDays=100', 'scanCutoffGb=0',
      'allowedOrigins: http://insecure.example 不是 https 源', 'geoAllowlist: CHINA', 'give domainName and certificateArn together', 'needs a CLOUDFRONT-scope web ACL',
    ]) expect(message).toContain(part);
    expect(() => read({ adminEmail: 'it@hospital.example', domainName: 'ops.hospital.example', certificateArn: 'arn:aws:acm:cn-north-1:123456789012:certificate/abc' })).toThrow(/CloudFront needs an ACM certificate in us-east-1/);
  });
});
