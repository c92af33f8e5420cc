import { isAbsolute, relative, sep } from 'node:path';
import type { ResolvedOptions, Target } from '../options/index.js';

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
  /** Whether --aws-account-id set AWS_ACCOUNT_ID; without it, the operator sets it. */
  readonly accountIdSet: boolean;
}

/** One numbered step: what to do, in words, then the commands that do it, each a line to copy as it is. */
export interface Step {
  readonly say: string;
  readonly run?: readonly string[];
}

/** A path inside the scaffold, as one shell word from where the user is. */
export type InScaffold = (path: string) => string;

/**
 * The AWS side a target needs first, before GitHub: steps per target, since their first commands may differ. A
 * target without an entry gets `terraformRoots`, which every target's Terraform layout supports.
 */
const firstSteps: Partial<Record<Target, (options: ResolvedOptions, at: InScaffold) => Step[]>> = {
  ec2: (options, at) => [
    ...terraformRoots(options, at),
    {
      say: 'Check that the instances are Online in SSM, a few minutes after the apply (exit 0 when they are):',
      run: options.environments.map((environment) => `${at('scripts/status.sh')} --environment ${environment}`),
    },
  ],
  asg: (options, at) => [
    ...terraformRoots(options, at),
    {
      say:
        'The fleet now waits out of service for its first release, at most 30 minutes before its instances are ' +
        'replaced (and wait again): once the pipeline is enabled (the last step), deploy the first release:',
      run: [`gh workflow run deploy.yml --ref main --repo ${options.githubOwner}/${options.githubRepo}`],
    },
  ],
  eks: (options, at) => [
    // Without an access entry for the administrator's role, the next step's kubectl is Unauthorized.
    ...terraformRoots(options, at, 'in its terraform.tfvars first set cluster_admin_principal_arns to your administrator role, and public_access_cidrs'),
    {
      say:
        "Create the app's namespace in each cluster, once, as an administrator: the deploy role may edit it but not create it" +
        (options.ingress === 'alb' ? ' (then install the AWS Load Balancer Controller, section 2 of docs/runbook.md):' : ':'),
      run: options.environments.flatMap((environment) => {
        const account = (options.accounts ?? {})[environment];
        return [
          ...(account === undefined ? [] : [`export AWS_PROFILE=admin-${account}`]),
          `aws eks update-kubeconfig --name ${options.name}-${environment} --region ${options.region}`,
          `kubectl apply -k ${at('kubernetes/cluster')}`,
        ];
      }),
    },
  ],
};

/** The accounts of the environments (option accounts), in promotion order of their first environment, with what each hosts. */
function accountsOf(options: ResolvedOptions): { id: string; environments: string[] }[] {
  const accounts: { id: string; environments: string[] }[] = [];
  for (const environment of options.environments) {
    const id = (options.accounts ?? {})[environment];
    if (id === undefined) continue;
    const account = accounts.find((a) => a.id === id);
    if (account) account.environments.push(environment);
    else accounts.push({ id, environments: [environment] });
  }
  return accounts;
}

/**
 * With environments in separate accounts: the bootstrap once per account (a workspace each, its environments as
 * input), then each environment against its own account's bucket, each with that account's admin credentials.
 */
function accountRoots(options: ResolvedOptions, at: InScaffold, review: string): Step[] {
  const bootstrap = at('terraform/bootstrap');
  return [
    {
      say: "Bootstrap each AWS account, once, with its administrator's credentials (state bucket, OIDC provider, plan role; a workspace per account):",
      run: [
        `terraform -chdir=${bootstrap} init`,
        ...accountsOf(options).map(
          (account) => `AWS_PROFILE=admin-${account.id} TF_WORKSPACE=${account.id} terraform -chdir=${bootstrap} apply -var 'environments=${JSON.stringify(account.environments)}'`,
        ),
      ],
    },
    {
      say: `Apply each environment with its account's administrator credentials (${review}):`,
      run: options.environments.flatMap((environment) => {
        const root = at(`terraform/environments/${environment}`);
        const account = (options.accounts ?? {})[environment]!;
        return [`export AWS_PROFILE=admin-${account}`, `terraform -chdir=${root} init -backend-config=bucket=${options.name}-tfstate-${account}`, `terraform -chdir=${root} apply`];
      }),
    },
  ];
}

/**
 * Bootstrap the account, then the first apply of each environment, both as an administrator. `review` says what to
 * check in each environment's terraform.tfvars before its apply.
 */
function terraformRoots(options: ResolvedOptions, at: InScaffold, review = 'review its terraform.tfvars first'): Step[] {
  if (Object.keys(options.accounts ?? {}).length > 0) return accountRoots(options, at, review);
  const bootstrap = at('terraform/bootstrap');
  const stateBucket = `"bucket=$(terraform -chdir=${bootstrap} output -raw state_bucket_name)"`;
  return [
    {
      say: 'Bootstrap the AWS account, once, as an administrator (state bucket, OIDC provider, plan role):',
      run: [`terraform -chdir=${bootstrap} init`, `terraform -chdir=${bootstrap} apply`],
    },
    {
      say: `Apply each environment, as an administrator (${review}):`,
      run: options.environments.flatMap((environment) => {
        const root = at(`terraform/environments/${environment}`);
        return [`terraform -chdir=${root} init -backend-config=${stateBucket}`, `terraform -chdir=${root} apply`];
      }),
    },
  ];
}

/** Enabling the pipeline, last: the repository variable every cloud job checks. */
const enable = (repo: string): Step => ({ say: 'Enable the pipeline:', run: [`gh variable set PIPELINE_ENABLED --body true --repo ${repo}`] });

const accountId = (repo: string) => `gh variable set AWS_ACCOUNT_ID --body "$(aws sts get-caller-identity --query Account --output text)" --repo ${repo}`;

/** With accounts: each GitHub environment's own AWS_ACCOUNT_ID (its jobs read it before the repository's). */
const environmentAccountIds = (options: ResolvedOptions, repo: string) =>
  options.environments.map((environment) => `gh variable set AWS_ACCOUNT_ID --env ${environment} --body ${(options.accounts ?? {})[environment]} --repo ${repo}`);

/** What is left on GitHub: everything when the repository is not created yet; the account id at most when it is. */
function githubSteps(options: ResolvedOptions, where: string, after: After): Step[] {
  const environments = options.environments.join(', ');
  const withAccounts = Object.keys(options.accounts ?? {}).length > 0;
  const { github } = after;
  if (github) {
    return [
      {
        say: `The GitHub environments (${environments}), ${withAccounts ? "variables (each environment's AWS_ACCOUNT_ID)" : 'variables'} and branch protection are set.${github.accountIdSet ? '' : ' Set the account id the roles live in:'}`,
        ...(github.accountIdSet ? {} : { run: [accountId(github.repoArgument)] }),
      },
      enable(github.repoArgument),
    ];
  }
  const repo = `${options.githubOwner}/${options.githubRepo}`;
  const git = `git -C ${shellWord(where)}`;
  return [
    {
      say:
        (withAccounts
          ? `On GitHub: create ${repo}, the environments (${environments}) with a branch policy for main, then each environment's variable AWS_ACCOUNT_ID `
          : `On GitHub: create ${repo}, the variable AWS_ACCOUNT_ID, and the environments (${environments}) with a branch policy for main `) +
        `(section 3 of docs/runbook.md has every command; the region, ${options.region}, is in the workflows); ` +
        `then ${after.committed ? 'push' : 'commit and push'}:`,
      run: [
        `gh repo create ${repo} --private`,
        ...(withAccounts ? environmentAccountIds(options, repo) : [accountId(repo)]),
        // Only a repository of its own gets a remote: inside another one, the remote would be that one's.
        ...(after.committed ? [`${git} remote add origin git@github.com:${repo}.git`, `${git} push -u origin main`] : []),
      ],
    },
    enable(repo),
  ];
}

/** Words of a sentence in lines of at most `width` characters (a longer word keeps a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** Numbered steps, their words wrapped, each command whole on a line of its own, all commands in one column. */
function formatSteps(steps: readonly Step[]): string[] {
  return steps.flatMap((step, index) => {
    const [first, ...rest] = wrap(step.say, 100);
    return [`  ${index + 1}. ${first}`, ...rest.map((line) => `     ${line}`), ...(step.run ?? []).map((command) => `       ${command}`)];
  });
}

/** What happened after writing, which the steps follow from. */
export interface After {
  /** The scaffold is a git repository of its own, with its first commit (not --skip-git, not inside another one). */
  readonly committed?: boolean;
  /** Set with --create-github-repo. */
  readonly github?: CreatedRepository;
}

/** The short list printed after a scaffold; docs/runbook.md in the generated repo has the long one. */
export function nextSteps(options: ResolvedOptions, where: string, after: After = {}): string {
  const { github } = after;
  const at: InScaffold = (path) => shellWord(where === '.' ? path : `${where}/${path}`);
  const aws = (firstSteps[options.target] ?? terraformRoots)(options, at);
  return [
    '',
    `Created ${options.name} in ${where}${github ? ` and pushed it to ${github.url}` : ''}. The pipeline is disabled until you enable it.`,
    '',
    `Next steps (${where === '.' ? '' : `${where}/`}docs/runbook.md has the details):`,
    ...formatSteps([...aws, ...githubSteps(options, where, after)]),
  ].join('\n');
}
