import { createHash } from 'node:crypto';
import type { RenderedFile } from '../render/rendered-file.js';
import { protectionBody } from './branch-protection.js';
import { branchPolicyBody, environmentBody, type Reviewer } from './environments.js';
import { createRepositoryBody } from './ensure-repository.js';
import { mainBranch } from './push-scaffold.js';
import { requiredChecks } from './required-checks.js';
import { environmentVariables, repositoryVariables } from './variables.js';

/** A write the real run would make; `times` for the git objects, one call each. */
export interface PlannedCall {
  readonly method: 'POST' | 'PUT' | 'PATCH';
  readonly path: string;
  readonly body?: unknown;
  readonly times?: number;
}

export interface PlanInput {
  readonly owner: string;
  readonly isOrganization: boolean;
  readonly name: string;
  readonly visibility: 'private' | 'public';
  readonly repositoryExists: boolean;
  readonly files: readonly RenderedFile[];
  readonly environments: readonly string[];
  readonly reviewers: readonly Reviewer[];
  readonly region: string;
  readonly awsAccountId?: string;
  readonly accounts: Readonly<Record<string, string>>;
}

const blobSha = (content: string) => {
  const bytes = Buffer.from(content);
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
};

/**
 * The writes of a run on a repository where nothing exists yet, built from the same bodies the steps send. A real
 * run reads each item first and skips what is already there.
 */
export function plannedCalls(input: PlanInput): PlannedCall[] {
  const repo = `/repos/${input.owner}/${input.name}`;
  const directories = new Set(['']);
  for (const file of input.files) {
    const parts = file.path.split('/').slice(0, -1);
    parts.forEach((_, i) => directories.add(parts.slice(0, i + 1).join('/')));
  }
  return [
    ...(input.repositoryExists ? [] : [{ method: 'POST' as const, path: input.isOrganization ? `/orgs/${input.owner}/repos` : '/user/repos', body: createRepositoryBody(input) }]),
    { method: 'POST', path: `${repo}/git/blobs`, times: new Set(input.files.map((f) => blobSha(f.content))).size },
    { method: 'POST', path: `${repo}/git/trees`, times: directories.size },
    { method: 'POST', path: `${repo}/git/commits`, times: 1 },
    { method: 'PATCH', path: `${repo}/git/refs/heads/${mainBranch}`, body: { force: true } },
    ...input.environments.flatMap((environment) => [
      { method: 'PUT' as const, path: `${repo}/environments/${environment}`, body: environmentBody(input.reviewers) },
      { method: 'POST' as const, path: `${repo}/environments/${environment}/deployment-branch-policies`, body: branchPolicyBody },
    ]),
    ...repositoryVariables(input.region, input.awsAccountId).map(({ name, value }) => ({ method: 'POST' as const, path: `${repo}/actions/variables`, body: { name, value } })),
    ...environmentVariables(input.environments, input.accounts).map(({ environment, name, value }) => ({ method: 'POST' as const, path: `${repo}/environments/${environment}/variables`, body: { name, value } })),
    { method: 'PUT', path: `${repo}/branches/${mainBranch}/protection`, body: protectionBody(requiredChecks(input.files), input.reviewers.length > 0 ? 1 : 0) },
  ];
}

export function formatPlannedCall(call: PlannedCall): string {
  const times = call.times !== undefined ? ` ×${call.times}` : '';
  const body = call.body !== undefined ? ` ${JSON.stringify(call.body)}` : '';
  return `${call.method.padEnd(5)} ${call.path}${times}${body}`;
}
