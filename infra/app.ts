/**
 * `npx cdk synth | deploy`: one OpsDeck stack per hospital, its settings from CDK context (infra/config.ts), checked
 * by cdk-nag's AwsSolutions and HIPAA Security packs at synthesis.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { ConfigError, readDeployConfig } from './config.ts';
import { ROOT } from './functions.ts';
import { OpsDeckStack } from './stack.ts';

const app = new App();
let config;
try {
  config = readDeployConfig((key) => app.node.tryGetContext(key));
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exit(1);
}
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const webDist = app.node.tryGetContext('webDist') as string | undefined;
new OpsDeckStack(app, String(app.node.tryGetContext('stackName') ?? 'OpsDeck'), {
  config,
  version,
  webDist: webDist ? resolve(webDist) : undefined,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  description: `OpsDeck 运营决策舱 ${version} — ${config.hospitalName}`,
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app));
