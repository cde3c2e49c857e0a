/**
 * `npm run nag`: what a reviewer reads — for each cdk-nag pack, the findings on the stack as built (none expected), the
 * findings the stack would have without its acknowledgements, and every acknowledgement with its resource and reason.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { readDeployConfig } from './config.ts';
import { ROOT } from './functions.ts';
import { ACKNOWLEDGED, withoutAcknowledgements } from './nag.ts';
import { OpsDeckStack } from './stack.ts';

const context = (JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
const out = mkdtempSync(join(tmpdir(), 'opsdeck-nag-'));

function build(id: string): { stack: Stack; ms: number } {
  const started = performance.now();
  const app = new App({ outdir: join(out, id), context: { ...context, adminEmail: context.adminEmail || 'reviewer@hospital.example', 'aws:cdk:bundling-stacks': [] } });
  const stack = new OpsDeckStack(app, 'OpsDeck', { config: readDeployConfig((k) => app.node.tryGetContext(k)) });
  app.synth();
  return { stack, ms: performance.now() - started };
}

try {
  const { stack, ms } = build('acknowledged');
  const acks = [...ACKNOWLEDGED];
  const bare = withoutAcknowledgements(() => build('bare')).stack;
  const resources = Object.keys((stack.node.root as App).synth().getStackByName(stack.stackName).template.Resources as object).length;
  console.log(`stack ${stack.stackName}: ${resources} resources, synthesised in ${(ms / 1000).toFixed(1)} s (no bundling)\n`);
  for (const pack of [new AwsSolutionsChecks(), new HIPAASecurityChecks()]) {
    const count = (s: Stack) => pack.validateScope(s).violations.reduce((n, v) => n + v.violatingResources.length, 0);
    const own = acks.filter((a) => a.id.startsWith(pack.readPackName));
    console.log(`${pack.readPackName}: ${count(stack)} unacknowledged findings; ${count(bare)} findings without acknowledgements; ${own.length} acknowledgements`);
  }
  console.log('\nacknowledgements:');
  for (const a of acks) console.log(`- ${a.id}\n  on ${a.path}\n  ${a.reason}`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
