import type { ResolvedOptions } from '../options/index.js';

/** The short list printed after a scaffold; docs/runbook.md in the generated repo has the long one. */
export function nextSteps(options: ResolvedOptions, where: string): string {
  const first = options.environments[0];
  return [
    '',
    `Created ${options.name} in ${where}. The pipeline is disabled until you enable it.`,
    '',
    'Next steps (docs/runbook.md has the details):',
    `  1. Bootstrap, once, with admin credentials:  terraform -chdir=${where}/terraform/bootstrap init && terraform -chdir=${where}/terraform/bootstrap apply`,
    `  2. Apply each environment, e.g. ${first}:        see "First apply" in docs/runbook.md (backend bucket from the bootstrap output)`,
    `  3. Push to github.com/${options.githubOwner}/${options.githubRepo}, create the GitHub environments (${options.environments.join(', ')}),`,
    '     set the variables AWS_ACCOUNT_ID and AWS_REGION, then enable the pipeline:',
    `       gh variable set PIPELINE_ENABLED --body true --repo ${options.githubOwner}/${options.githubRepo}`,
  ].join('\n');
}
