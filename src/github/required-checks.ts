import { parse } from 'yaml';
import type { RenderedFile } from '../render/rendered-file.js';

export const ciWorkflowPath = '.github/workflows/ci.yml';

interface Job {
  readonly name?: unknown;
  readonly strategy?: { readonly matrix?: unknown };
}

/**
 * The status checks branch protection requires: the check of the `ci` job of the generated ci.yml (its `name`, or
 * its id), or, without such a job, every job that is not a matrix. A required check that never reports blocks every
 * merge, so the names come from the rendered workflow rather than from a constant.
 */
export function requiredChecks(files: readonly RenderedFile[]): string[] {
  const ci = files.find((file) => file.path === ciWorkflowPath);
  if (!ci) return [];
  const jobs = ((parse(ci.content) as { jobs?: Record<string, Job> } | null)?.jobs ?? {}) as Record<string, Job>;
  const checkName = (id: string, job: Job) => (typeof job.name === 'string' && !job.name.includes('${{') ? job.name : id);
  if (jobs.ci) return [checkName('ci', jobs.ci)];
  return Object.entries(jobs)
    .filter(([, job]) => !job?.strategy?.matrix)
    .map(([id, job]) => checkName(id, job ?? {}));
}
