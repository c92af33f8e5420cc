import type { Target } from '../options/index.js';

/**
 * Targets whose terraform.yml applies only when started by hand with "Run Terraform Apply" (seed 002's manual apply),
 * instead of on every push to main. Read by their compute component (the workflow) and by the docs (doctor's table).
 */
export const manualApplyTargets: readonly Target[] = ['ecs'];
