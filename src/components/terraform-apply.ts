import type { Target } from '../options/index.js';

/**
 * Targets whose terraform.yml applies only when started by hand with "Run Terraform Apply" (seed 002's manual apply),
 * instead of on every push to main. Read by their compute component (the workflow) and by the docs (doctor's table).
 */
export const manualApplyTargets: readonly Target[] = ['ecs'];

/** When a target's terraform.yml applies: the compute data every target gives the workflow and the docs. */
export function applyTrigger(target: Target) {
  const manualApply = manualApplyTargets.includes(target);
  return {
    /** terraform.yml applies only when started by hand with its `apply` input (seed 002's "Run Terraform Apply"). */
    manualApply,
    /** The event condition of terraform.yml's apply jobs, and what it means in words. */
    applyEvent: manualApply ? "github.event_name == 'workflow_dispatch' && inputs.apply" : "github.event_name == 'push'",
    /** The same, shortest, for a list of the workflows' conditions. */
    applyEventShort: manualApply ? 'manual runs with "Run Terraform Apply"' : 'pushes',
    applyEventWords: manualApply ? 'runs started by hand on main with "Run Terraform Apply" checked' : 'pushes to main',
  };
}
