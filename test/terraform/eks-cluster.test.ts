import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { renderVariant, requireTerraform, terraform } from '../support/terraform.js';
import { tempDir, writeFiles } from '../support/render-preset.js';

// The part of the eks-cluster module moto 5.2.1 has no API for — access entries, access-policy associations, add-ons,
// Pod Identity associations — checked with `terraform test` (Terraform >= 1.7) and a mocked AWS provider: each run
// applies the module against the mock and asserts the arguments (eks/eks-cluster.tftest.hcl). What moto does emulate
// is applied for real by apply-eks.test.ts.

/** The rendered module with the test file in its tests/ folder; `change` edits its main.tf first. */
async function testModule(change?: (main: string) => string) {
  const repo = writeFiles(tempDir('tf-test-eks-'), renderVariant('eks-multi-env'));
  const module = join(repo, 'terraform/modules/eks-cluster');
  const main = join(module, 'main.tf');
  const before = readFileSync(main, 'utf8');
  const after = change ? change(before) : before;
  if (change && after === before) throw new Error('the change to main.tf changed nothing');
  writeFileSync(main, after);
  mkdirSync(join(module, 'tests'));
  copyFileSync(join(import.meta.dirname, 'eks', 'eks-cluster.tftest.hcl'), join(module, 'tests', 'eks-cluster.tftest.hcl'));
  await terraform(module, ['init', '-backend=false', '-input=false']);
  return terraform(module, ['test'], { okExitCodes: [0, 1] });
}

describe('the eks-cluster module, with a mocked AWS provider (terraform test)', () => {
  requireTerraform();

  it.concurrent('fails when the deploy role is made a cluster administrator (the assertions can fail)', { timeout: 600_000 }, async ({ expect }) => {
    const run = await testModule((main) => main.replace('policy = "AmazonEKSEditPolicy", namespaces = [var.namespace]', 'policy = "AmazonEKSClusterAdminPolicy", namespaces = []'));
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/run "deploy_role_edits_its_namespace_only"\.\.\. fail/);
  });

  it.concurrent('gives the deploy role edit rights in its namespace only, the infra role (and listed admins) cluster admin, the add-ons, and the pods their role', { timeout: 600_000 }, async ({ expect }) => {
    // GIVEN the rendered module and the test file in its tests/ folder WHEN terraform test runs
    const run = await testModule();
    // THEN every run passes, and there were as many as the file declares
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Success! 8 passed, 0 failed\./);
  });
});
