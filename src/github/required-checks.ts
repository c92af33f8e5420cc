import { parse } from 'yaml';
import type { RenderedFile } from '../render/rendered-file.js';

export const ciWorkflowPath = '.github/workflows/ci.yml';

interface Job {
  readonly name?: unknown;
  readonly strategy?: { readonly matrix?: unknown };
}

/**
 * The status checks branch protection requires: the check of the `ci` job of the generated ci.yml (its `name`, or
 * its id), or, without such a job, every job whose check name is fixed. A required check that never reports blocks every
 * merge, so the names come from the rendered workflow rather than from a constant.
 */
export function requiredChecks(files: readonly RenderedFile[]): string[] {
  const workflow = files.find((file) => file.path === ciWorkflowPath);
  if (!workflow) return [];
  const jobs = ((parse(workflow.content) as { jobs?: Record<string, Job> } | null)?.jobs ?? {}) as Record<string, Job>;
  // A matrix job reports one check per combination, a computed name is known only at run time: neither is fixed.
  const fixedName = (id: string, job: Job | null): string | undefined => {
    if (!job || job.strategy?.matrix) return undefined;
    if (typeof job.name !== 'string') return id;
    return job.name.includes('${{') ? undefined : job.name;
  };
  const ci = fixedName('ci', jobs.ci ?? null);
  if (jobs.ci && ci) return [ci];
  return Object.entries(jobs)
    .map(([id, job]) => fixedName(id, job))
    .filter((name): name is string => name !== undefined);
}
