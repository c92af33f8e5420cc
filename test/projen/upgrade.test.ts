import { appendFileSync, chmodSync, cpSync, existsSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateSource } from '../../src/components/component.js';
import { components } from '../../src/components/targets.js';
import { MARKER } from '../../src/render/marker.js';
import { outputPath } from '../../src/render/render.js';
import { tempDir } from '../support/render-preset.js';
import { requireTool } from '../support/tools.js';

/**
 * The life of a generated repository across a release of this package, with real npm, projen and git: version A is
 * packed, scaffolds a repository and is installed there from its tarball (a linked folder would load a second
 * projen); the user edits files and ejects one; version B (one template changed, one removed, one sample added) is
 * packed and installed; `npx projen` upgrades the repository.
 */

const packageRoot = join(import.meta.dirname, '../..');
// `npm pack` runs the package's `prepack` task (projen: .projen/, the bundle script: projenrc/) to build dist/.
const packageFiles = ['package.json', 'tsconfig.json', 'src', 'templates', 'bin', 'README.md', 'LICENSE', '.projen', 'projenrc'];
const identity = { GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com' };

/** The environment of a user's shell: nothing from the test runner that would change how projen or Node behave. */
function userEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, ...identity, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  for (const key of Object.keys(env)) if (/^(JEST_|VITEST|PROJEN_)/.test(key) || key === 'NODE_OPTIONS') delete env[key];
  return env;
}

const run = (command: string, args: readonly string[], cwd: string) => execa(command, args, { cwd, env: userEnv(), extendEnv: false, all: true, reject: false });

async function must(command: string, args: readonly string[], cwd: string): Promise<string> {
  const result = await run(command, args, cwd);
  if (result.exitCode !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd} (exit ${result.exitCode}):\n${result.all}`);
  return result.stdout;
}

/** A copy of this package's sources, with its own lib/ built from them (the working tree's lib/ is left alone). */
async function buildCopy(to: string): Promise<string> {
  for (const path of packageFiles) cpSync(join(packageRoot, path), join(to, path), { recursive: true });
  symlinkSync(join(packageRoot, 'node_modules'), join(to, 'node_modules'));
  await must(process.execPath, [join(packageRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], to);
  return to;
}

async function pack(dir: string, destination: string): Promise<string> {
  const [result] = JSON.parse(await must('npm', ['pack', '--json', '--pack-destination', destination], dir)) as { filename: string }[];
  return join(destination, result!.filename);
}

/**
 * Installs a packed version into the generated repository the way `npm update` would, except that the package comes
 * from its tarball: `--no-save` keeps the managed package.json as synth writes it.
 */
const installTarball = (repo: string, tarball: string) => must('npm', ['install', '--no-save', '--no-package-lock', tarball], repo);

const synth = (repo: string) => run('npx', ['projen'], repo);
const gitStatus = async (repo: string) => (await must('git', ['status', '--porcelain', '--untracked-files=all'], repo)).split('\n').filter((line) => line !== '');
const changedPaths = async (repo: string) => (await gitStatus(repo)).map((line) => line.slice(3)).sort();
const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;
const listed = (repo: string, manifest: string) => readJson<{ files: string[] }>(join(repo, '.projen', manifest)).files;
/** Writes as a user would: projen's files are read-only (root ignores that; CI runners may not). */
function userWrite(path: string, content: string) {
  if (existsSync(path)) chmodSync(path, 0o644);
  writeFileSync(path, content);
}

/** Template folders of folder rules (`owner`), so removing or adding one needs no code change, as in a real release. */
function folderRules(owner: 'managed' | 'sample', templates: string) {
  return components('ec2')
    .flatMap((component) => component.files)
    .filter((rule) => rule.owner === owner && !rule.perEnvironment && !rule.when && statSync(join(templates, templateSource(rule, 'ec2'))).isDirectory())
    .map((rule) => templateSource(rule, 'ec2'));
}

describe('upgrading a generated repository with npx projen', () => {
  const stage = tempDir('projen-upgrade-');
  const repo = join(stage, 'demo');
  const changedTemplate = { template: '_editorconfig.hbs', path: '.editorconfig', line: '# changed in version B\n' };
  const ejected = { template: '_gitattributes.hbs', path: '.gitattributes', line: '# changed in version B, never seen by the ejected file\n' };
  let versionA = '';
  let versionB = '';
  let tarballB = '';
  let removed = { template: '', path: '' };
  let added = { template: '', path: '' };

  beforeAll(async () => {
    requireTool('npm', 'install Node.js 22 (npm comes with it)');
    requireTool('git', 'apt-get install -y git');

    // GIVEN version A, built and packed from a copy of this package
    const packageA = await buildCopy(join(stage, 'package-a'));
    versionA = readJson<{ version: string }>(join(packageA, 'package.json')).version;
    const tarballA = await pack(packageA, stage);

    // AND version B: the same package with one template changed, one removed, one sample added, and a new version
    const packageB = join(stage, 'package-b');
    for (const path of [...packageFiles, 'lib']) cpSync(join(packageA, path), join(packageB, path), { recursive: true });
    symlinkSync(join(packageRoot, 'node_modules'), join(packageB, 'node_modules'));
    const templatesB = join(packageB, 'templates');
    appendFileSync(join(templatesB, changedTemplate.template), changedTemplate.line);
    appendFileSync(join(templatesB, ejected.template), ejected.line);
    const managedFolder = folderRules('managed', templatesB)[0];
    const sampleFolder = folderRules('sample', templatesB)[0];
    if (!managedFolder || !sampleFolder) throw new Error('the upgrade test needs a managed and a sample folder rule in src/components to remove and add templates');
    const managedTemplates = (readdirSync(join(templatesB, managedFolder), { recursive: true }) as string[])
      .filter((path) => path.endsWith('.hbs'))
      .map((path) => `${managedFolder}/${path.split(sep).join('/')}`)
      .sort();
    removed = { template: managedTemplates.at(-1)!, path: outputPath(managedTemplates.at(-1)!) };
    rmSync(join(templatesB, removed.template));
    added = { template: `${sampleFolder}/ADDED-IN-B.md.hbs`, path: outputPath(`${sampleFolder}/ADDED-IN-B.md.hbs`) };
    writeFileSync(join(templatesB, added.template), '# {{name}}: a sample file new in version B\n');
    const [major, minor, patch] = versionA.split(/[.-]/).map(Number);
    versionB = `${major}.${minor}.${patch! + 1}`;
    const manifestB = readJson<Record<string, unknown>>(join(packageB, 'package.json'));
    writeFileSync(join(packageB, 'package.json'), `${JSON.stringify({ ...manifestB, version: versionB }, undefined, 2)}\n`);
    tarballB = await pack(packageB, stage);

    // AND a repository scaffolded by A's bin, with A installed from its tarball, as `npm install` would after a clone
    await must(process.execPath, [join(packageA, 'bin/create-ec2-oidc-pipeline.js'), 'demo', '--yes', '--github-owner', 'acme', '--github-repo', 'demo', '--skip-install'], stage);
    await installTarball(repo, tarballA);
  });

  // Two installs of the package (~75 MB each): not worth keeping.
  afterAll(() => rmSync(stage, { recursive: true, force: true }));

  it('scaffold, npm install, npx projen: the first commit already is what projen synthesizes', async () => {
    // GIVEN the scaffolded, committed repository with its dependencies installed
    expect((await must('git', ['rev-list', '--count', 'HEAD'], repo)).trim()).toBe('1');
    expect(await gitStatus(repo)).toEqual([]);
    // WHEN projen synthesizes, twice
    for (let i = 0; i < 2; i++) {
      const result = await synth(repo);
      expect(result.exitCode, result.all).toBe(0);
      // THEN nothing changed
      expect(await gitStatus(repo)).toEqual([]);
    }
  });

  it('loads the installed tarball, with projen shared and without the CLI\'s dependencies (Yeoman, execa, Octokit)', async () => {
    // GIVEN the installed package; WHEN .projenrc.ts's import is resolved with every module load recorded
    const probe = [
      "import { registerHooks } from 'node:module';",
      'const seen = [];',
      'registerHooks({ resolve(specifier, context, next) { const result = next(specifier, context); seen.push(result.url); return result; } });',
      "const { Ec2OidcPipelineProject } = await import('create-ec2-oidc-pipeline');",
      "if (typeof Ec2OidcPipelineProject !== 'function') throw new Error('no Ec2OidcPipelineProject export');",
      'console.log(JSON.stringify(seen));',
    ].join('\n');
    const loaded = JSON.parse(await must(process.execPath, ['--input-type=module', '-e', probe], repo)) as string[];
    // THEN it is the real package under node_modules (not a link), importing no module of the CLI
    const installed = join(repo, 'node_modules/create-ec2-oidc-pipeline');
    expect(realpathSync(installed)).toBe(installed);
    expect(loaded).toContain(`file://${installed}/dist/index.js`);
    expect(loaded.filter((url) => /\/node_modules\/(yeoman-environment|yeoman-generator|execa|@octokit)\//.test(url))).toEqual([]);
    // AND projen resolves to the repository's one copy
    expect(existsSync(join(installed, 'node_modules/projen'))).toBe(false);
    expect(readJson<{ version: string }>(join(repo, 'node_modules/projen/package.json')).version).toBe(readJson<{ devDependencies: Record<string, string> }>(join(repo, 'package.json')).devDependencies.projen);
  });

  it('stops on a misspelt option in .projenrc.ts, naming it, and writes nothing', async () => {
    // GIVEN a typo in .projenrc.ts
    const projenrc = join(repo, '.projenrc.ts');
    const original = readFileSync(projenrc, 'utf8');
    expect(original).toContain('"instanceType"');
    writeFileSync(projenrc, original.replace('"instanceType"', '"instanceTyep"'));
    // WHEN projen runs
    const result = await synth(repo);
    writeFileSync(projenrc, original);
    // THEN it fails with the option named and a suggestion, and no file changed
    expect(result.exitCode).not.toBe(0);
    expect(result.all).toContain('"instanceTyep" is not an option of Ec2OidcPipelineProject; did you mean "instanceType"?');
    expect(await gitStatus(repo)).toEqual([]);
  });

  it('ejects a managed file: it keeps its content without the marker and leaves projen\'s list', async () => {
    // GIVEN .gitattributes added to `eject` in .projenrc.ts
    const projenrc = join(repo, '.projenrc.ts');
    const before = readFileSync(join(repo, ejected.path), 'utf8');
    expect(listed(repo, 'files.json')).toContain(ejected.path);
    writeFileSync(projenrc, readFileSync(projenrc, 'utf8').replace('new Ec2OidcPipelineProject({', `new Ec2OidcPipelineProject({\n  "eject": [${JSON.stringify(ejected.path)}],`));
    // WHEN projen runs
    const result = await synth(repo);
    expect(result.exitCode, result.all).toBe(0);
    // THEN the file is the same minus the marker line, writable, unlisted
    expect(readFileSync(join(repo, ejected.path), 'utf8')).toBe(before.replace(`# ${MARKER}\n`, ''));
    expect(statSync(join(repo, ejected.path)).mode & 0o200).not.toBe(0);
    expect(listed(repo, 'files.json')).not.toContain(ejected.path);
    expect(await changedPaths(repo)).toEqual(['.gitattributes', '.projen/files.json', '.projenrc.ts']);
    await must('git', ['commit', '--quiet', '--all', '--message', 'Eject .gitattributes'], repo);
  });

  it('upgrades: managed files re-rendered, orphans deleted, new samples written, the user\'s files untouched, idempotent', async () => {
    // GIVEN the user's edits, committed: a managed file, a sample file, the ejected file, and a deleted sample file
    const managedBefore = readFileSync(join(repo, changedTemplate.path), 'utf8');
    expect(listed(repo, 'files.json')).toEqual(expect.arrayContaining([changedTemplate.path, removed.path]));
    expect(listed(repo, 'samples.json')).toEqual(expect.arrayContaining(['README.md', 'CODEOWNERS']));
    expect(listed(repo, 'samples.json')).not.toContain(added.path);
    userWrite(join(repo, changedTemplate.path), `${managedBefore}[*.py]\nindent_size = 4\n`);
    const readme = `${readFileSync(join(repo, 'README.md'), 'utf8')}\nOur own notes.\n`;
    userWrite(join(repo, 'README.md'), readme);
    const ejectedContent = `${readFileSync(join(repo, ejected.path), 'utf8')}*.png binary\n`;
    userWrite(join(repo, ejected.path), ejectedContent);
    rmSync(join(repo, 'CODEOWNERS'));
    await must('git', ['add', '--all'], repo);
    await must('git', ['commit', '--quiet', '--message', 'Our edits'], repo);

    // WHEN version B is installed and projen synthesizes
    await installTarball(repo, tarballB);
    expect(readJson<{ version: string }>(join(repo, 'node_modules/create-ec2-oidc-pipeline/package.json')).version).toBe(versionB);
    const result = await synth(repo);
    expect(result.exitCode, result.all).toBe(0);

    // THEN the changed managed file is B's rendering: the user's edit to it is replaced
    expect(readFileSync(join(repo, changedTemplate.path), 'utf8')).toBe(`${managedBefore}${changedTemplate.line}`);
    // AND the file whose template B removed is deleted as an orphan
    expect(existsSync(join(repo, removed.path))).toBe(false);
    expect(listed(repo, 'files.json')).not.toContain(removed.path);
    // AND the sample new in B is written; the existing, edited and deleted samples are left as the user left them
    expect(readFileSync(join(repo, added.path), 'utf8')).toBe('# demo: a sample file new in version B\n');
    expect(readFileSync(join(repo, 'README.md'), 'utf8')).toBe(readme);
    expect(existsSync(join(repo, 'CODEOWNERS'))).toBe(false);
    // AND the ejected file is untouched although B changed its template
    expect(readFileSync(join(repo, ejected.path), 'utf8')).toBe(ejectedContent);
    // AND package.json now asks for B; every change is to a file projen manages (or the new sample)
    expect(readJson<{ devDependencies: Record<string, string> }>(join(repo, 'package.json')).devDependencies['create-ec2-oidc-pipeline']).toBe(`^${versionB}`);
    const changed = await changedPaths(repo);
    expect(changed).toEqual(expect.arrayContaining([changedTemplate.path, removed.path, added.path, 'package.json', '.projen/files.json', '.projen/samples.json']));
    const ownedBefore = new Set((JSON.parse(await must('git', ['show', 'HEAD:.projen/files.json'], repo)) as { files: string[] }).files);
    expect(changed.filter((path) => path !== added.path && !ownedBefore.has(path))).toEqual([]);

    // WHEN the upgrade is committed and projen runs again
    await must('git', ['add', '--all'], repo);
    await must('git', ['commit', '--quiet', '--message', `Upgrade create-ec2-oidc-pipeline to ${versionB}`], repo);
    const again = await synth(repo);
    expect(again.exitCode, again.all).toBe(0);
    // THEN nothing changes
    expect(await gitStatus(repo)).toEqual([]);
  }, 600_000); // two npm installs and two synths: minutes on a loaded 2-core machine (a safety net, not a budget)
});
