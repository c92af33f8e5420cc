import type { Target } from '../options/index.js';

/**
 * Pages of a target's docs/ rendered only where environments live in separate accounts (its ADR on where the
 * artifacts live and how later accounts read them), by target. The docs component leaves them out; the target's
 * compute component renders them with `when: (data) => data.accounts.enabled`.
 */
export const accountsOnlyDocs: Readonly<Record<Target, readonly string[]>> = {
  ec2: ['adr/0008-artifacts-read-across-accounts.md.hbs'],
  ecs: ['adr/0009-artifacts-read-across-accounts.md.hbs'],
  asg: ['adr/0010-releases-read-across-accounts.md.hbs'],
  eks: ['adr/0008-artifacts-read-across-accounts.md.hbs'],
};
