import { isAbsolute, relative, sep } from 'node:path';
import type { ResolvedOptions } from '../options/index.js';

/** How messages name the scaffold's directory: relative to where the user is, unless that means climbing out of it. */
export function displayPath(cwd: string, directory: string): string {
  const path = relative(cwd, directory);
  if (path === '') return '.';
  return path.split(sep)[0] === '..' || isAbsolute(path) ? directory : path;
}

/** The directory in a sentence: `.` reads as "the current directory". */
export const directoryInWords = (where: string) => (where === '.' ? 'the current directory' : where);

/** A path as one word for a POSIX shell, quoted only when it needs to be. */
function shellWord(path: string): string {
  return /^[\w./-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;
}

/** The GitHub repository --create-github-repo created and configured. */
export interface CreatedRepository {
  readonly url: string;
  /** `--repo` argument for gh: OWNER/REPO, or HOST/OWNER/REPO on GitHub Enterprise Server. */
  readonly repoArgument: string;
  /** How to set AWS_ACCOUNT_ID, when --aws-account-id did not. */
  readonly accountIdCommand?: string;
}

/** The short list printed after a scaffold; docs/runbook.md in the generated repo has the long one. */
export function nextSteps(options: ResolvedOptions, where: string, github?: CreatedRepository): string {
  const first = options.environments[0];
  const bootstrap = shellWord(`${where}/terraform/bootstrap`);
  const head = [
    '',
    `Created ${options.name} in ${where}${github ? ` and pushed it to ${github.url}` : ''}. The pipeline is disabled until you enable it.`,
    '',
    'Next steps (docs/runbook.md has the details):',
    `  1. Bootstrap, once, with admin credentials:  terraform -chdir=${bootstrap} init && terraform -chdir=${bootstrap} apply`,
    `  2. Apply each environment, e.g. ${first}:        see "First apply" in docs/runbook.md (backend bucket from the bootstrap output)`,
  ];
  if (github) {
    return [
      ...head,
      `  3. The GitHub environments (${options.environments.join(', ')}), variables and branch protection are set.`,
      ...(github.accountIdCommand ? [`     Set the account id:  ${github.accountIdCommand}`] : []),
      '     Then enable the pipeline:',
      `       gh variable set PIPELINE_ENABLED --body true --repo ${github.repoArgument}`,
    ].join('\n');
  }
  return [
    ...head,
    `  3. Push to github.com/${options.githubOwner}/${options.githubRepo}, create the GitHub environments (${options.environments.join(', ')}),`,
    `     set the variable AWS_ACCOUNT_ID (the region, ${options.region}, is written into the workflows), then enable the pipeline:`,
    `       gh variable set PIPELINE_ENABLED --body true --repo ${options.githubOwner}/${options.githubRepo}`,
  ].join('\n');
}
