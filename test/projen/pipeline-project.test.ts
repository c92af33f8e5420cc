import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveOptions, type PipelineOptions } from '../../src/options/index.js';
import { Ec2OidcPipelineProject } from '../../src/projen/index.js';
import { MARKER } from '../../src/render/marker.js';
import { projenBookkeeping, SAMPLE_MANIFEST } from '../../src/render/projen-bookkeeping.js';
import { renderRepository } from '../../src/render/render-repository.js';
import { renderResolved } from '../../src/render/render.js';
import { generatedVersions } from '../../src/render/versions.js';
import { presetNames, presets } from '../support/presets.js';
import { tempDir } from '../support/render-preset.js';

const base = presets.default;

/** Every file under `root` (projen writes no directories of its own to skip), POSIX paths, sorted. */
function filesUnder(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [relative(root, path).split('\\').join('/')];
    });
  return walk(root).sort();
}

function synth(outdir: string, options: PipelineOptions = base): Ec2OidcPipelineProject {
  const project = new Ec2OidcPipelineProject({ ...options, outdir });
  project.synth();
  return project;
}

const read = (root: string, path: string) => readFileSync(join(root, path), 'utf8');
const manifest = (root: string, path = '.projen/files.json') => (JSON.parse(read(root, path)) as { files: string[] }).files;
/** Writes like a user would: projen's files are read-only, so make it writable first. */
function edit(root: string, path: string, content: string) {
  chmodSync(join(root, path), 0o644);
  writeFileSync(join(root, path), content);
}

describe('Ec2OidcPipelineProject', () => {
  const savedEjecting = process.env.PROJEN_EJECTING;
  afterEach(() => {
    if (savedEjecting === undefined) delete process.env.PROJEN_EJECTING;
    else process.env.PROJEN_EJECTING = savedEjecting;
  });

  it.each(presetNames)('synthesizes byte for byte what the CLI writes, bookkeeping included (preset %s)', (preset) => {
    // GIVEN what the CLI writes for the preset (render core + projen bookkeeping)
    const expected = renderRepository(resolveOptions({ ...presets[preset] }));
    // WHEN projen synthesizes the same options into an empty directory
    const outdir = tempDir(`projen-${preset}-`);
    synth(outdir, presets[preset]);
    // THEN the same files exist, with the same bytes and the same executable bits
    expect(filesUnder(outdir)).toEqual(expected.map((f) => f.path));
    for (const file of expected) {
      expect(read(outdir, file.path), file.path).toBe(file.content);
      expect((statSync(join(outdir, file.path)).mode & 0o111) !== 0, `${file.path} executable`).toBe((file.mode & 0o111) !== 0);
    }
    // AND the bookkeeping the CLI computes is what projen itself wrote
    for (const file of projenBookkeeping(renderResolved(resolveOptions({ ...presets[preset] })))) {
      expect(read(outdir, file.path), file.path).toBe(file.content);
    }
  });

  it('marks managed files read-only and lists them, and lists sample files separately', () => {
    // GIVEN / WHEN a synthesized repository
    const outdir = tempDir('projen-owners-');
    const project = synth(outdir);
    // THEN managed files are 0444 (0555 when executable) and listed in files.json; samples are writable and listed in samples.json
    expect(project.managedFiles.length).toBeGreaterThan(0);
    expect(project.sampleFiles.length).toBeGreaterThan(0);
    expect(manifest(outdir)).toEqual(expect.arrayContaining([...project.managedFiles]));
    for (const path of project.managedFiles) expect(statSync(join(outdir, path)).mode & 0o222, path).toBe(0);
    expect(manifest(outdir, SAMPLE_MANIFEST)).toEqual(project.sampleFiles);
    for (const path of project.sampleFiles) {
      expect(statSync(join(outdir, path)).mode & 0o200, path).not.toBe(0);
      expect(manifest(outdir)).not.toContain(path);
    }
  });

  it('replaces hand edits to managed files and leaves sample files, even deleted ones, alone', () => {
    // GIVEN a synthesized repository where the user edited a managed file, edited one sample and deleted another
    const outdir = tempDir('projen-edits-');
    synth(outdir);
    const original = read(outdir, '.editorconfig');
    edit(outdir, '.editorconfig', `${original}[*.py]\nindent_size = 4\n`);
    edit(outdir, 'README.md', '# mine\n');
    rmSync(join(outdir, 'CODEOWNERS'));
    // WHEN synthesizing again
    synth(outdir);
    // THEN the managed file is rendered again, the edited sample is kept and the deleted sample stays deleted
    expect(read(outdir, '.editorconfig')).toBe(original);
    expect(read(outdir, 'README.md')).toBe('# mine\n');
    expect(existsSync(join(outdir, 'CODEOWNERS'))).toBe(false);
  });

  it('writes a sample file the repository was never offered, once', () => {
    // GIVEN a repository whose record of offered samples lacks CODEOWNERS (as after an upgrade that adds a sample)
    const outdir = tempDir('projen-new-sample-');
    synth(outdir);
    const codeowners = read(outdir, 'CODEOWNERS');
    rmSync(join(outdir, 'CODEOWNERS'));
    edit(outdir, SAMPLE_MANIFEST, `${JSON.stringify({ files: manifest(outdir, SAMPLE_MANIFEST).filter((p) => p !== 'CODEOWNERS'), '//': MARKER }, undefined, 2)}\n`);
    // WHEN synthesizing
    synth(outdir);
    // THEN it is written, and recorded as offered
    expect(read(outdir, 'CODEOWNERS')).toBe(codeowners);
    expect(manifest(outdir, SAMPLE_MANIFEST)).toContain('CODEOWNERS');
  });

  it('refuses a misspelt option, naming it and the option it probably meant, before writing anything', () => {
    // GIVEN an empty directory and options with a typo
    const outdir = tempDir('projen-typo-');
    // WHEN / THEN the constructor throws a message quoting the key
    expect(() => new Ec2OidcPipelineProject({ ...base, instanceTyep: 't3.small', outdir } as PipelineOptions)).toThrow(
      /"instanceTyep" is not an option of Ec2OidcPipelineProject; did you mean "instanceType"\?/,
    );
    expect(readdirSync(outdir)).toEqual([]);
  });

  it('refuses invalid values, naming every option at fault', () => {
    // GIVEN two invalid values; WHEN constructing; THEN both are reported by option name
    let message = '';
    try {
      new Ec2OidcPipelineProject({ ...base, region: 'mars-1', environments: ['Prod'], outdir: tempDir('projen-invalid-') });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/"region": "mars-1" is not an AWS region id/);
    expect(message).toMatch(/"environments": "Prod" is not a usable environment name/);
    expect(message).not.toMatch(/"name"/);
  });

  it('takes no default from the directory or the git remote: name and the GitHub repository are required', () => {
    // GIVEN options without name and githubOwner, in a directory whose name would be a valid service name
    const outdir = tempDir('projen-required-');
    // WHEN / THEN both are reported as required, with an example
    expect(() => new Ec2OidcPipelineProject({ githubRepo: 'demo', outdir } as unknown as PipelineOptions)).toThrow(/"name" is required, e\.g\. "my-service"\n\s+"githubOwner" is required/);
  });

  it.each([
    ['README.md', /README\.md is a sample file/],
    ['.projen/tasks.json', /\.projen\/tasks\.json is projen's own bookkeeping/],
    ['terraform/nope.tf', /terraform\/nope\.tf is not a managed file of this version; managed files are listed in \.projen\/files\.json/],
    ['.', /names the whole repository/],
  ])('refuses to eject %s', (path, reason) => {
    // GIVEN / WHEN a project asked to eject something that is not a managed file; THEN it refuses, naming it
    expect(() => new Ec2OidcPipelineProject({ ...base, eject: [path], outdir: tempDir('projen-eject-refused-') })).toThrow(reason);
  });

  it('hands an ejected file over: content kept without the marker, writable, unlisted, never rewritten again', () => {
    // GIVEN a synthesized repository
    const outdir = tempDir('projen-eject-');
    synth(outdir);
    const before = JSON.parse(read(outdir, 'package.json')) as Record<string, unknown>;
    const docs = manifest(outdir).filter((path) => path.startsWith('docs/'));
    expect(docs).toContain('docs/upgrading.md');
    // WHEN package.json and the docs folder are ejected
    const ejecting = synth(outdir, { ...base, eject: ['package.json', 'docs/'] });
    // THEN they keep their content, minus the marker, and projen lets go of them (every managed file under docs/)
    expect(ejecting.ejectedFiles).toEqual([...docs, 'package.json'].sort());
    const { '//': marker, ...rest } = before;
    expect(marker).toBe(MARKER);
    expect(read(outdir, 'package.json')).toBe(`${JSON.stringify(rest, undefined, 2)}\n`);
    expect(read(outdir, 'docs/upgrading.md')).not.toContain(MARKER);
    expect(read(outdir, 'docs/upgrading.md')).toMatch(/^# Upgrading/);
    for (const path of ejecting.ejectedFiles) {
      expect(statSync(join(outdir, path)).mode & 0o200, path).not.toBe(0);
      expect(manifest(outdir), path).not.toContain(path);
    }
    // WHEN the user edits one and the options change in a way that would re-render it
    edit(outdir, 'package.json', read(outdir, 'package.json').replace('"private": true', '"private": true,\n  "description": "mine"'));
    const edited = read(outdir, 'package.json');
    synth(outdir, { ...base, name: 'renamed', eject: ['package.json', 'docs/'] });
    // THEN neither is touched
    expect(read(outdir, 'package.json')).toBe(edited);
    expect(read(outdir, 'package.json')).toContain('"name": "demo"');
  });

  it('accepts an eject entry this version no longer renders while the file is on disk, and keeps the file', () => {
    // GIVEN a file an older version managed (still listed in files.json) and one ejected before (unlisted)
    const outdir = tempDir('projen-eject-old-');
    synth(outdir);
    writeFileSync(join(outdir, 'old-managed.tf'), '# from an older version\n');
    writeFileSync(join(outdir, 'old-ejected.tf'), '# ejected long ago\n');
    edit(outdir, '.projen/files.json', `${JSON.stringify({ files: [...manifest(outdir), 'old-managed.tf'].sort(), '//': MARKER }, undefined, 2)}\n`);
    // WHEN both are listed in eject and the project synthesizes
    synth(outdir, { ...base, eject: ['old-managed.tf', 'old-ejected.tf'] });
    // THEN both survive projen's orphan cleanup, and neither is listed any more
    expect(read(outdir, 'old-managed.tf')).toBe('# from an older version\n');
    expect(read(outdir, 'old-ejected.tf')).toBe('# ejected long ago\n');
    expect(manifest(outdir)).not.toContain('old-managed.tf');
  });

  it('deletes a file an older version managed once no version renders it (orphan cleanup)', () => {
    // GIVEN a file listed in files.json that this version does not render
    const outdir = tempDir('projen-orphan-');
    synth(outdir);
    writeFileSync(join(outdir, 'old-managed.tf'), '# from an older version\n');
    edit(outdir, '.projen/files.json', `${JSON.stringify({ files: [...manifest(outdir), 'old-managed.tf'].sort(), '//': MARKER }, undefined, 2)}\n`);
    // WHEN synthesizing
    synth(outdir);
    // THEN projen deletes it
    expect(existsSync(join(outdir, 'old-managed.tf'))).toBe(false);
  });

  it('writes managed files without the marker under `npx projen eject`', () => {
    // GIVEN projen's eject mode (its eject task sets PROJEN_EJECTING)
    process.env.PROJEN_EJECTING = 'true';
    // WHEN synthesizing
    const outdir = tempDir('projen-projen-eject-');
    const project = synth(outdir);
    // THEN no file claims projen still owns it
    for (const path of project.managedFiles) expect(read(outdir, path), path).not.toContain(MARKER);
    expect(existsSync(join(outdir, SAMPLE_MANIFEST))).toBe(false);
  });

  it('runs .projenrc.ts with Node type stripping (no ts-node)', () => {
    // GIVEN / WHEN a synthesized repository; THEN the default task is `node .projenrc.ts`
    const outdir = tempDir('projen-runner-');
    synth(outdir);
    const tasks = JSON.parse(read(outdir, '.projen/tasks.json')) as { tasks: Record<string, { steps?: { exec?: string }[] }> };
    expect(tasks.tasks.default?.steps).toEqual([{ exec: 'node .projenrc.ts' }]);
  });

  it('passes the escape hatches tags, instanceType and serviceIamStatements through to the Terraform it renders', () => {
    // GIVEN options using every escape hatch
    const statement = { Sid: 'ReadAppConfig', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: 'arn:aws:ssm:us-east-1:123456789012:parameter/demo/*' } as const;
    const outdir = tempDir('projen-escape-');
    // WHEN synthesized
    const project = synth(outdir, { ...base, tags: { CostCenter: 'platform-42' }, instanceType: 't3.small', serviceIamStatements: [statement] });
    // THEN the values reach the managed Terraform files
    const terraform = project.managedFiles.filter((path) => path.startsWith('terraform/')).map((path) => read(outdir, path)).join('\n');
    expect(terraform).toContain('CostCenter');
    expect(terraform).toContain('platform-42');
    expect(terraform).toContain('t3.small');
    expect(terraform).toContain('ReadAppConfig');
    expect(terraform).toContain('parameter/demo/*');
  });

  it('changes the effective instance type when instanceType changes after the scaffold (no sample file pins the old one)', () => {
    // GIVEN a repository scaffolded with the default instance type
    const outdir = tempDir('projen-instance-type-');
    synth(outdir);
    // WHEN the user moves to Graviton in .projenrc.ts and synthesizes (images follow the architecture)
    const project = synth(outdir, { ...base, instanceType: 't4g.small' });
    // THEN no Terraform file, managed or sample, still assigns the old type
    const terraform = [...project.managedFiles, ...project.sampleFiles].filter((path) => path.startsWith('terraform/'));
    const stale = terraform.filter((path) => /=\s*"t3\.micro"/.test(read(outdir, path)));
    expect(stale).toEqual([]);
  });
});

describe('versions the generated repository pins', () => {
  const own = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
  };
  const installed = (name: string) => (JSON.parse(readFileSync(join(import.meta.dirname, '../../node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

  it('pins exactly the projen this package is built and tested with, inside its peer range', () => {
    // GIVEN / WHEN / THEN one projen: the generated repo's exact pin = our dev dependency = what is installed here
    expect(generatedVersions.projen).toMatch(/^\d+\.\d+\.\d+$/);
    expect(own.devDependencies.projen).toBe(generatedVersions.projen);
    expect(installed('projen')).toBe(generatedVersions.projen);
    expect(own.peerDependencies.projen).toBe(`^${generatedVersions.projen}`);
  });

  it('asks for the constructs range this package peers with', () => {
    expect(generatedVersions.constructs).toBe(own.peerDependencies.constructs);
    expect(installed('constructs')).toMatch(/^10\./);
  });
});
