import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir, writeFiles } from '../support/render-preset.js';
import { environmentsOf, renderVariant, requireTerraform, terraform, terraformRoots, terraformVariantNames } from '../support/terraform.js';

interface ValidateJson {
  valid: boolean;
  error_count: number;
  warning_count: number;
  diagnostics: { severity: string; summary: string; detail?: string; range?: { filename: string } }[];
}

beforeAll(() => requireTerraform());

describe.each(terraformVariantNames)('Terraform of variant %s', (variant) => {
  const repo = writeFiles(tempDir(`tf-${variant}-`), renderVariant(variant));

  it('is formatted as `terraform fmt` writes it', async () => {
    // GIVEN the rendered repository WHEN fmt checks every .tf and .tfvars file
    const run = await terraform(join(repo, 'terraform'), ['fmt', '-check', '-recursive', '-diff'], { okExitCodes: [0, 3] });
    // THEN nothing would change
    expect(run.stdout, run.stdout).toBe('');
    expect(run.exitCode).toBe(0);
  });

  it.concurrent.for(terraformRoots('', environmentsOf(variant)).map((root) => root.replace(/^\//, '')))(
    'validates root %s with the real AWS provider, without errors or warnings',
    async (root, { expect }) => {
      // GIVEN a root initialised offline from the provider mirror (no backend: validation needs no state)
      const dir = join(repo, root);
      await terraform(dir, ['init', '-backend=false', '-input=false']);
      // WHEN validated
      const run = await terraform(dir, ['validate', '-json'], { okExitCodes: [0, 1] });
      const result = JSON.parse(run.stdout) as ValidateJson;
      // THEN it is valid and clean: a deprecation warning today is an error on the next provider major
      expect(result.diagnostics.map((d) => `${d.severity}: ${d.summary} ${d.detail ?? ''} (${d.range?.filename ?? ''})`)).toEqual([]);
      expect(result.valid).toBe(true);
    },
  );
});
