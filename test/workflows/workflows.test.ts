import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { actionlintRelease, actionPins, isCurrentRuntime, type ActionPin } from '../../src/components/action-pins.js';
import { scriptsComponent } from '../../src/components/scripts.js';
import { resolveOptions } from '../../src/options/index.js';
import { templateData } from '../../src/render/template-data.js';
import { ecsScriptsComponent } from '../../src/components/scripts-ecs.js';
import { presetNames, presetNamesFor, presets, testGeneratorVersion, type PresetName } from '../support/presets.js';
import { renderPreset } from '../support/render-preset.js';

type Step = { name?: string; uses?: string; run?: string; with?: Record<string, any>; if?: string; id?: string; env?: Record<string, string> };
type Job = { name?: string; if?: string; needs?: string | string[]; environment?: string; permissions?: Record<string, string>; 'runs-on': string; concurrency?: any; outputs?: any; steps: Step[] };
type Workflow = { on: any; permissions: any; env?: Record<string, string>; jobs: Record<string, Job> };

function rendered(preset: PresetName) {
  const files = new Map(renderPreset(preset).map((f) => [f.path, f]));
  const workflow = (name: string) => parseYaml(files.get(`.github/workflows/${name}`)!.content) as Workflow;
  return { files, workflow, data: templateData(resolveOptions({ ...presets[preset] }), testGeneratorVersion) };
}

const usesOf = (job: Job, action: string) => job.steps.filter((s) => s.uses?.startsWith(`${action}@`));
const runs = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');

/** What is wrong with a pin table: a SHA that is not a full commit, a version that is not vX.Y.Z, a retired runtime. */
function pinProblems(pins: Readonly<Record<string, ActionPin>>): string[] {
  return Object.values(pins).flatMap((pin) => [
    ...(/^[0-9a-f]{40}$/.test(pin.sha) ? [] : [`${pin.action}: ${pin.sha} is not a full commit SHA`]),
    ...(/^v\d+\.\d+\.\d+$/.test(pin.version) ? [] : [`${pin.action}: ${pin.version} is not a release version vX.Y.Z`]),
    ...(isCurrentRuntime(pin.runtime) ? [] : [`${pin.action} ${pin.version} runs on ${pin.runtime}, which GitHub's runners no longer run`]),
  ]);
}

/**
 * What is wrong with a workflow's `uses:` lines: each must be `owner/repo@<40-hex SHA> # vX.Y.Z` exactly as a pin of
 * the table has it (so the pin's runtime is checked too), and every `uses:` the YAML holds must be on such a line.
 */
function usesProblems(text: string, pins: Readonly<Record<string, ActionPin>>): string[] {
  const byLine = new Map(Object.values(pins).map((pin) => [`${pin.action}@${pin.sha} # ${pin.version}`, pin]));
  const lines = [...text.matchAll(/^\s*(?:- )?uses: (.*)$/gm)].map((match) => match[1]!);
  const document = parseYaml(text) as { jobs: Record<string, { uses?: string; steps?: { uses?: string }[] }> };
  const inYaml = Object.values(document.jobs).flatMap((job) => [job.uses, ...(job.steps ?? []).map((step) => step.uses)]).filter((uses) => uses !== undefined);
  return [
    ...lines.flatMap((line) => {
      const pin = byLine.get(line);
      if (!pin) return [`uses: ${line} is not a pin of the table (owner/repo@<40-hex SHA> # vX.Y.Z)`];
      return isCurrentRuntime(pin.runtime) ? [] : [`uses: ${line} runs on ${pin.runtime}, which GitHub's runners no longer run`];
    }),
    ...(inYaml.length === lines.length ? [] : [`${inYaml.length} uses in the YAML, ${lines.length} on uses: lines`]),
  ];
}

describe('action pins', () => {
  it('are full commit SHAs with a release version, and no pinned action runs on a retired runtime', () => {
    expect(Object.keys(actionPins).length).toBeGreaterThanOrEqual(11);
    expect(pinProblems(actionPins)).toEqual([]);
    expect(actionlintRelease.linuxAmd64Sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the runtime check accepts node24 (and later), composite and docker, and rejects node20 and older (so the test above can fail)', () => {
    for (const runtime of ['node24', 'node26', 'composite', 'docker']) expect(isCurrentRuntime(runtime), runtime).toBe(true);
    for (const runtime of ['node20', 'node16', 'node12', 'node', 'node24 ', 'javascript', '']) expect(isCurrentRuntime(runtime), runtime).toBe(false);
    // GIVEN the table with one action back on its node20 release WHEN checked THEN that pin is reported
    const older = { ...actionPins, checkout: { action: 'actions/checkout', sha: '11bd71901bbe5b1630ceea73d27597364c9af683', version: 'v4.2.2', runtime: 'node20' } };
    expect(pinProblems(older)).toEqual(["actions/checkout v4.2.2 runs on node20, which GitHub's runners no longer run"]);
  });

  it.each(presetNames)('are the only way an action is used in preset %s, each with its version comment', (preset) => {
    const { files } = rendered(preset);
    const workflows = [...files.values()].filter((f) => f.path.startsWith('.github/workflows/'));
    expect(workflows.length).toBeGreaterThanOrEqual(3);
    for (const file of workflows) {
      expect(file.content, file.path).toMatch(/uses: /);
      expect(usesProblems(file.content, actionPins), file.path).toEqual([]);
    }
  });

  it('a uses: line that is not a pin of the table is reported (so the test above can fail)', () => {
    const deploy = rendered('default').files.get('.github/workflows/deploy.yml')!.content;
    const pin = actionPins.checkout;
    const changed = (from: string, to: string) => {
      expect(deploy).toContain(from);
      return usesProblems(deploy.replace(from, to), actionPins);
    };
    expect(changed(`${pin.action}@${pin.sha} # ${pin.version}`, `${pin.action}@v7`)).toEqual([`uses: ${pin.action}@v7 is not a pin of the table (owner/repo@<40-hex SHA> # vX.Y.Z)`]);
    expect(changed(`@${pin.sha} # ${pin.version}`, `@${pin.sha} # v7.0.0`)).toEqual([expect.stringContaining(`@${pin.sha} # v7.0.0 is not a pin`)]);
    expect(changed(`@${pin.sha} # ${pin.version}`, `@${pin.sha}`)).toEqual([expect.stringContaining(`@${pin.sha} is not a pin`)]);
    expect(changed(`${pin.sha} #`, `${'0'.repeat(40)} #`)).toEqual([expect.stringContaining(`@${'0'.repeat(40)} # ${pin.version} is not a pin`)]);
    // AND a pin of the table whose release declares node20 is not accepted either
    const older = { ...actionPins, checkout: { ...pin, runtime: 'node20' } };
    expect(new Set(usesProblems(deploy, older))).toEqual(new Set([`uses: ${pin.action}@${pin.sha} # ${pin.version} runs on node20, which GitHub's runners no longer run`]));
  });
});

describe.each(presetNames)('preset %s', (preset) => {
  const { files, workflow, data } = rendered(preset);

  it('ci.yml: always on, read-only, no cloud access; tests the service, formats and validates Terraform, lints workflows and scripts', () => {
    const ci = workflow('ci.yml');
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
    expect(ci.on.push.branches).toEqual(['main']);
    expect(ci.permissions).toEqual({});
    const { ci: gate, ...checks } = ci.jobs;
    for (const job of Object.values(checks)) {
      expect(job.permissions).toEqual({ contents: 'read' });
      expect(job.if).toBeUndefined();
      expect(usesOf(job, 'aws-actions/configure-aws-credentials')).toEqual([]);
    }
    // the one check branch protection requires: it needs every other job and passes only if all succeeded
    expect(gate?.name).toBe('ci');
    expect(gate?.permissions).toEqual({});
    expect(gate?.if).toBe('always()');
    expect(gate?.needs).toEqual(Object.keys(checks));
    expect(runs(gate!)).toContain('[ "$result" = success ] || exit 1');
    const service = ci.jobs.service!;
    expect(usesOf(service, 'actions/setup-node')[0]?.with?.['node-version']).toBe(data.versions.node);
    expect(runs(service)).toMatch(/npm ci\nnpm test\nnpm run typecheck\nnpm run build/);
    const terraform = ci.jobs.terraform!;
    expect(usesOf(terraform, 'hashicorp/setup-terraform')[0]?.with?.terraform_version).toBe(data.versions.terraformCli);
    expect(runs(terraform)).toContain('terraform fmt -check -recursive');
    for (const root of ['terraform/bootstrap', ...data.environments.map((e) => `terraform/environments/${e.name}`)]) expect(runs(terraform)).toContain(` ${root}`);
    expect(runs(terraform)).toContain('init -backend=false');
    const lint = ci.jobs.workflows!;
    expect(lint.steps.find((s) => s.env?.ACTIONLINT_SHA256)?.env).toEqual({ ACTIONLINT_VERSION: actionlintRelease.version, ACTIONLINT_SHA256: actionlintRelease.linuxAmd64Sha256 });
    expect(runs(lint)).toContain('sha256sum -c -');
    expect(runs(lint)).not.toMatch(/\|\s*(ba)?sh\b/);
    expect(runs(ci.jobs.scripts!)).toContain('shellcheck -s sh');
  });

  it('terraform.yml: plans each root with the read-only role; on main applies exactly the saved plan, in its environment', () => {
    const tf = workflow('terraform.yml');
    const manual = data.target === 'ecs';
    // ecs applies by hand (seed 002's "Run Terraform Apply"), behind each environment's approval
    expect(Object.keys(tf.on).sort()).toEqual(manual ? ['pull_request', 'push', 'workflow_dispatch'] : ['pull_request', 'push']);
    if (manual) expect(tf.on.workflow_dispatch.inputs.apply).toMatchObject({ type: 'boolean', default: false });
    expect(tf.on.pull_request.paths).toContain('terraform/**');
    // One account: one bucket for the workflow, from the variable. Accounts: each job names its environment's bucket.
    expect(tf.env?.STATE_BUCKET).toBe(data.accounts.enabled ? undefined : `${data.stateBucketPrefix}\${{ vars.AWS_ACCOUNT_ID }}`);
    for (const env of data.environments) {
      const plan = tf.jobs[`plan-${env.name}`]!;
      expect(plan.environment).toBeUndefined();
      // A plan job has no environment, so no environment variable: with accounts, its account is written out
      const planAccount = env.accountId ?? '${{ vars.AWS_ACCOUNT_ID }}';
      expect(usesOf(plan, 'aws-actions/configure-aws-credentials')[0]?.with?.['role-to-assume']).toBe(`arn:aws:iam::${planAccount}:role/${data.plan.roleName}`);
      expect((plan as Job & { env?: Record<string, string> }).env?.STATE_BUCKET).toBe(env.accountId ? `${data.stateBucketPrefix}${env.accountId}` : undefined);
      expect(runs(plan)).toContain('terraform init -input=false -backend-config="bucket=$STATE_BUCKET"');
      expect(runs(plan)).toContain('terraform plan -input=false -lock=false -detailed-exitcode -out=tfplan');
      expect(runs(plan)).toContain('$GITHUB_STEP_SUMMARY');
      expect(usesOf(plan, 'actions/upload-artifact')[0]?.with).toMatchObject({ name: `tfplan-${env.name}`, 'include-hidden-files': true, 'if-no-files-found': 'error' });

      const apply = tf.jobs[`apply-${env.name}`]!;
      expect(apply.environment).toBe(env.name);
      expect(apply.needs).toEqual(env.previous ? [`plan-${env.name}`, `apply-${env.previous}`] : `plan-${env.name}`);
      expect(apply.if).toContain(manual ? "github.event_name == 'workflow_dispatch' && inputs.apply && github.ref == 'refs/heads/main'" : "github.event_name == 'push' && github.ref == 'refs/heads/main'");
      expect(usesOf(plan, 'actions/upload-artifact')[0]?.if).toBe(`${manual ? "github.event_name == 'workflow_dispatch' && inputs.apply" : "github.event_name == 'push'"} && steps.plan.outputs.changes == 'true'`);
      // The same text with one account or many: the environment's variable wins over the repository's
      expect(usesOf(apply, 'aws-actions/configure-aws-credentials')[0]?.with?.['role-to-assume']).toBe(`arn:aws:iam::\${{ vars.AWS_ACCOUNT_ID }}:role/${env.infraRoleName}`);
      expect((apply as Job & { env?: Record<string, string> }).env?.STATE_BUCKET).toBe(env.accountId ? `${data.stateBucketPrefix}${env.accountId}` : undefined);
      expect(usesOf(apply, 'actions/download-artifact')[0]?.with).toEqual({ name: `tfplan-${env.name}`, path: `terraform/environments/${env.name}` });
      expect(runs(apply)).toContain('terraform init -input=false -lockfile=readonly');
      expect(runs(apply)).toContain('terraform apply -input=false tfplan');
    }
  });

  it('each workflow header says how it is switched on and which role each job assumes with which subject', () => {
    for (const name of ['deploy.yml', 'terraform.yml']) {
      const text = files.get(`.github/workflows/${name}`)!.content;
      const header = text.slice(0, text.indexOf('\nname:'));
      expect(header, name).toContain(`${data.pipelineEnabledVariable} is 'true'`);
      for (const env of data.environments) {
        expect(header, name).toContain(name === 'deploy.yml' ? env.deployRoleName : env.infraRoleName);
        expect(header, name).toContain(env.subject);
      }
    }
    expect(files.get('.github/workflows/terraform.yml')!.content).toContain(`They assume ${data.plan.roleName}`);
  });

  it('dependabot.yml: actions, npm (service and root), docker, and the Terraform roots', () => {
    const dependabot = parseYaml(files.get('.github/dependabot.yml')!.content) as { version: number; updates: { 'package-ecosystem': string; directory?: string; directories?: string[] }[] };
    expect(dependabot.version).toBe(2);
    expect(dependabot.updates.map((u) => [u['package-ecosystem'], u.directory ?? u.directories])).toEqual([
      ['github-actions', '/'],
      ['npm', '/service'],
      ['npm', '/'],
      ['docker', '/service'],
      ...(data.target === 'ecs' && data.options.frontend !== false ? [['docker', '/frontend']] : []),
      ['terraform', ['/terraform/bootstrap', ...data.environments.map((e) => `/terraform/environments/${e.name}`)]],
    ]);
    for (const update of dependabot.updates) expect(update).toHaveProperty('schedule.interval', 'weekly');
  });
});

describe.each(presetNamesFor('ec2'))('ec2 preset %s', (preset) => {
  const { workflow, data } = rendered(preset);

  it('deploy.yml: the first environment builds once and deploys by digest; each later one promotes the same digest', () => {
    const deploy = workflow('deploy.yml');
    expect(deploy.on.push.branches).toEqual(['main']);
    expect(deploy.on).toHaveProperty('workflow_dispatch');
    expect(deploy.permissions).toEqual({});
    // One account: its id from the variable. Accounts: the first environment's, written out, since later environments'
    // jobs read their own account's variable and still deploy from the first environment's registry.
    const registry = data.accounts.artifactAccountId ?? '${{ vars.AWS_ACCOUNT_ID }}';
    expect(deploy.env?.IMAGE_REPOSITORY).toBe(`${registry}.dkr.ecr.${data.region}.amazonaws.com/${data.ecrRepositoryName}`);
    expect(Object.keys(deploy.jobs)).toEqual(['test', ...data.environments.map((e) => `deploy-${e.name}`)]);
    // the commit is tested before anything is built or deployed, without AWS access
    const test = deploy.jobs.test!;
    expect(test.permissions).toEqual({ contents: 'read' });
    expect(test.environment).toBeUndefined();
    expect(usesOf(test, 'aws-actions/configure-aws-credentials')).toEqual([]);
    expect(runs(test)).toMatch(/npm ci\nnpm test/);
    for (const env of data.environments) {
      const job = deploy.jobs[`deploy-${env.name}`]!;
      expect(job.environment).toBe(env.name);
      expect(job.needs).toBe(env.previous ? `deploy-${env.previous}` : 'test');
      expect(job.concurrency).toEqual({ group: `deploy-${env.name}`, 'cancel-in-progress': false });
      expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
      expect(usesOf(job, 'aws-actions/configure-aws-credentials')[0]?.with?.['role-to-assume']).toBe(`arn:aws:iam::\${{ vars.AWS_ACCOUNT_ID }}:role/${env.deployRoleName}`);
      expect(job.outputs).toEqual({ digest: '${{ steps.image.outputs.digest }}' });
      // ec2's host checks /health for the commit; eks deploys the digest alone (the rollout is its gate).
      const commit = data.target === 'ec2' ? ' --commit "$GITHUB_SHA"' : '';
      expect(runs(job)).toContain(`sh scripts/deploy.sh --environment ${env.name} --image "$IMAGE_REPOSITORY@$DIGEST"${commit}`);
      const build = usesOf(job, 'docker/build-push-action');
      if (env.isFirst) {
        expect(job['runs-on']).toBe(data.architecture === 'arm64' ? 'ubuntu-24.04-arm' : 'ubuntu-24.04');
        expect(build[0]?.with).toMatchObject({ context: 'service', platforms: data.dockerPlatform, 'build-args': 'APP_COMMIT=${{ github.sha }}', tags: '${{ env.IMAGE_REPOSITORY }}:${{ github.sha }}', push: true });
        expect(usesOf(job, 'aws-actions/amazon-ecr-login')).toHaveLength(1);
      } else {
        expect(build).toEqual([]);
        expect(job.steps.find((s) => s.id === 'image')?.env?.DIGEST).toBe(`\${{ needs.deploy-${env.previous}.outputs.digest }}`);
      }
    }
  });

  it("deploy.yml passes scripts/deploy.sh an image reference the script's own check accepts", () => {
    // GIVEN the image the deploy step builds from IMAGE_REPOSITORY, for some account and digest
    const image = `${workflow('deploy.yml').env!.IMAGE_REPOSITORY!.replace('${{ vars.AWS_ACCOUNT_ID }}', '123456789012')}@sha256:${'a'.repeat(64)}`;
    const otherAccount = image.replace(/^[0-9]{12}/, '999999999999');
    // WHEN / THEN: the pattern scripts/deploy.sh validates --image with (a POSIX ERE that JavaScript reads alike)
    const { imagePattern } = scriptsComponent.data!(data) as { imagePattern: string };
    expect(image).toMatch(new RegExp(imagePattern));
    // AND with accounts, only the registry's account: an image of another account is a usage error
    if (data.accounts.enabled) expect(otherAccount).not.toMatch(new RegExp(imagePattern));
  });
});

describe.each(presetNamesFor('ecs'))('ecs preset %s', (preset) => {
  const { workflow, data } = rendered(preset);
  const services = (ecsScriptsComponent.data!(data) as { services: { key: string; repository: string; context: string; imagePattern: string }[] }).services;

  it('deploy.yml: the first environment builds each service once and deploys the digests; each later one promotes them', () => {
    const deploy = workflow('deploy.yml');
    expect(deploy.on.push.paths).toEqual(expect.arrayContaining(['service/**', 'scripts/**', ...(services.length > 1 ? ['frontend/**'] : [])]));
    // (with accounts, the registry's account is written out: a later job's AWS_ACCOUNT_ID is its own account's)
    expect(deploy.env?.IMAGE_REGISTRY).toBe(`${data.accounts.artifactAccountId ?? '${{ vars.AWS_ACCOUNT_ID }}'}.dkr.ecr.${data.region}.amazonaws.com`);
    expect(Object.keys(deploy.jobs)).toEqual(['test', ...data.environments.map((e) => `deploy-${e.name}`)]);
    for (const env of data.environments) {
      const job = deploy.jobs[`deploy-${env.name}`]!;
      expect(job.environment).toBe(env.name);
      expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
      expect(usesOf(job, 'aws-actions/configure-aws-credentials')[0]?.with?.['role-to-assume']).toBe(`arn:aws:iam::\${{ vars.AWS_ACCOUNT_ID }}:role/${env.deployRoleName}`);
      expect(job.outputs).toEqual({ images: '${{ steps.images.outputs.images }}' });
      expect(runs(job)).toContain(`sh scripts/deploy.sh --environment ${env.name} "$@"`);
      const builds = usesOf(job, 'docker/build-push-action');
      if (env.isFirst) {
        expect(job['runs-on']).toBe(data.architecture === 'arm64' ? 'ubuntu-24.04-arm' : 'ubuntu-24.04');
        // one build per service, pushed under the commit SHA only: never latest
        expect(builds.map((b) => b.with)).toEqual(
          services.map((s) => expect.objectContaining({ context: s.context, platforms: data.dockerPlatform, tags: `\${{ env.IMAGE_REGISTRY }}/${s.repository}:\${{ github.sha }}`, push: true, provenance: false })),
        );
      } else {
        expect(builds).toEqual([]);
        expect(job.steps.find((s) => s.id === 'images')?.env?.IMAGES).toBe(`\${{ needs.deploy-${env.previous}.outputs.images }}`);
      }
    }
    expect(JSON.stringify(deploy)).not.toContain(':latest');
  });

  it("deploy.yml passes scripts/deploy.sh image references the script's own check accepts", () => {
    // GIVEN the pairs the build step writes, for the registry's account (with accounts; some account without) and a digest
    const deploy = workflow('deploy.yml');
    const step = deploy.jobs[`deploy-${data.environments[0]!.name}`]!.steps.find((s) => s.id === 'images')!;
    const registry = (account: string) => `${account}.dkr.ecr.${data.region}.amazonaws.com`;
    const account = data.accounts.artifactAccountId ?? '123456789012';
    const pairs = [...step.run!.matchAll(/images="\$images (\w+)=\$IMAGE_REGISTRY\/([\w.-]+)@\$\w+"/g)].map((m) => [m[1]!, `${registry(account)}/${m[2]!}@sha256:${'a'.repeat(64)}`] as const);
    // THEN each names a service and matches the pattern scripts/deploy.sh validates its image with
    expect(pairs.map(([key]) => key)).toEqual(services.map((s) => s.key));
    for (const [key, image] of pairs) expect(image).toMatch(new RegExp(services.find((s) => s.key === key)!.imagePattern));
    // AND a later environment's promotion step admits those pairs, and with accounts no image of another account
    const later = data.environments.find((env) => !env.isFirst);
    if (later) {
      const promote = deploy.jobs[`deploy-${later.name}`]!.steps.find((s) => s.id === 'images')!.run!;
      const pattern = new RegExp(/=~ (\^.*\$) \]\]/.exec(promote)![1]!);
      for (const [key, image] of pairs) expect(`${key}=${image}`).toMatch(pattern);
      if (data.accounts.enabled) {
        for (const [key, image] of pairs) expect(`${key}=${image.replace(registry(account), registry('999999999999'))}`).not.toMatch(pattern);
      }
    }
  });
});

describe.each(presetNamesFor('asg'))('deploy.yml and ci.yml of the asg preset %s', (preset) => {
  const { workflow, data } = rendered(preset);
  // (with accounts, the first environment's account's bucket, written out: a later job's AWS_ACCOUNT_ID is its own)
  const bucket = `${data.name}-releases-${data.accounts.artifactAccountId ?? '${{ vars.AWS_ACCOUNT_ID }}'}`;

  it('deploy.yml: the first environment builds the release once and deploys it; each later one deploys the same release', () => {
    const deploy = workflow('deploy.yml');
    expect(deploy.permissions).toEqual({});
    expect(deploy.env?.RELEASE_BUCKET).toBe(bucket);
    expect(deploy.on.workflow_dispatch.inputs.bake).toMatchObject({ type: 'boolean', default: false });
    expect(Object.keys(deploy.jobs)).toEqual(['test', ...data.environments.map((e) => `deploy-${e.name}`)]);
    for (const env of data.environments) {
      const job = deploy.jobs[`deploy-${env.name}`]!;
      expect(job.environment).toBe(env.name);
      expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
      expect(job.concurrency).toEqual({ group: `deploy-${env.name}`, 'cancel-in-progress': false });
      expect(usesOf(job, 'aws-actions/configure-aws-credentials')[0]?.with?.['role-to-assume']).toBe(`arn:aws:iam::\${{ vars.AWS_ACCOUNT_ID }}:role/${env.deployRoleName}`);
      // the release is promoted by its commit and the SHA-256 it was built with, which every deploy checks
      expect(job.outputs).toEqual({ release: '${{ steps.release.outputs.commit }}', 'release-sha256': '${{ steps.release.outputs.sha256 }}' });
      expect(runs(job)).toContain(`sh scripts/deploy.sh --environment ${env.name} --release "$RELEASE" --sha256 "$RELEASE_SHA256" --bucket "$RELEASE_BUCKET"`);
      expect(job.steps.find((s) => s.id === 'deploy')?.env?.RELEASE_SHA256).toBe('${{ steps.release.outputs.sha256 }}');
      // the bake runs only when switched on, or asked for by hand
      expect(job.steps.find((s) => s.run === `sh scripts/bake.sh --environment ${env.name}`)?.if).toBe("vars.BAKE_AMI == 'true' || inputs.bake");
      if (env.isFirst) {
        // built natively on a runner of the fleet's architecture, and uploaded with its checksum
        expect(job['runs-on']).toBe(data.architecture === 'arm64' ? 'ubuntu-24.04-arm' : 'ubuntu-24.04');
        // the build (npm ci runs install scripts) without the role's credentials, the upload with them
        const build = job.steps.find((s) => s.name === 'Build the release')!;
        expect(build.run).toBe('unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN\nsh scripts/build-release.sh --commit "$GITHUB_SHA" --output "$RUNNER_TEMP/release"\n');
        expect(runs(job)).toContain('sh scripts/build-release.sh --commit "$GITHUB_SHA" --output "$RUNNER_TEMP/release" --bucket "$RELEASE_BUCKET" --no-build');
        expect(usesOf(job, 'docker/build-push-action')).toEqual([]);
        expect(job.steps.find((s) => s.id === 'release')?.env?.SHA256).toBe('${{ steps.upload.outputs.sha256 }}');
      } else {
        expect(runs(job)).not.toContain('build-release.sh');
        expect(job.steps.find((s) => s.id === 'release')?.env?.RELEASE).toBe(`\${{ needs.deploy-${env.previous}.outputs.release }}`);
        expect(job.steps.find((s) => s.id === 'release')?.env?.SHA256).toBe(`\${{ needs.deploy-${env.previous}.outputs.release-sha256 }}`);
      }
    }
  });

  it('ci.yml: builds the release twice and requires the two archives to be identical', () => {
    const ci = workflow('ci.yml');
    const release = ci.jobs.release!;
    expect(release.permissions).toEqual({ contents: 'read' });
    expect(runs(release)).toContain('cmp "$RUNNER_TEMP/first/$GITHUB_SHA.tar.gz" "$RUNNER_TEMP/second/$GITHUB_SHA.tar.gz"');
    expect(ci.jobs.ci?.needs).toContain('release');
  });
});
