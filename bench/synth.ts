// Section 3: a warm `npx projen` in a generated repository (the command users run after every option change and
// upgrade), against the same command in a default `projen new typescript` project with its dependencies installed.
// The generated repo gets the packed tarball installed (never a link: that loads a second projen). With --compare, it
// also times .projenrc.ts under tsx and under ts-node with type-checking (projen's default runner), which confirmed
// the choice of `node .projenrc.ts`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { scaffoldArgs, tempIn, type Section } from './support/context.js';
import { describeProfile, summarizeProfiles, type ProfileSummary } from './support/cpu-profile.js';
import { benchEnv, formatMs, formatRatio, median, pairedRatio, rounds, sh, shAsync, timed } from './support/measure.js';
import { anchors, binPath } from './support/packages.js';
import type { SectionResult } from './support/report.js';

/** "npx (package npm) 750 ms, …": each process of a chain (outermost first) named by its busiest package, with the
 * wall time it adds around the process it waits for. */
function chain(profiles: readonly ProfileSummary[]): string {
  return profiles
    .map((profile, i) => {
      const owner = profile.groups.find((group) => group.name.startsWith('package '))?.name ?? 'Node';
      return `${owner}: ${formatMs(profile.wallMs - (profiles[i + 1]?.wallMs ?? 0))}`;
    })
    .join(', ');
}

const cachedName = 'generated repo: npx projen, NODE_COMPILE_CACHE warm';

export const benchSynth: Section = async (context) => {
  const stage = tempIn(context, 'synth-');
  const repo = join(stage, 'bench-app');
  const projenApp = join(stage, 'projen-app');
  mkdirSync(projenApp);
  await Promise.all([
    (async () => {
      await shAsync(process.execPath, [context.bin, ...scaffoldArgs('bench-app')], stage);
      await shAsync('npm', ['install', '--no-save', '--no-package-lock', context.tarball], repo);
    })(),
    (async () => {
      // What --no-post skipped: the project's own npm install.
      await shAsync(process.execPath, [binPath(context.anchors, 'projen'), 'new', 'typescript', '--no-post', '--no-git'], projenApp);
      await shAsync('npm', ['install', '--no-package-lock'], projenApp);
    })(),
  ]);
  if (context.flags.has('--compare')) {
    await shAsync('npm', ['install', '--no-save', '--no-package-lock', 'tsx', 'ts-node', 'typescript@~5.9.3', '@types/node@22'], repo);
  }
  return async (): Promise<SectionResult> => {
    const variants = [
      { name: 'generated repo: npx projen', command: 'npx', argv: ['projen'], cwd: repo },
      { name: 'projen new typescript: npx projen', command: 'npx', argv: ['projen'], cwd: projenApp },
      // The synth alone: the generated repo's default task is exactly this.
      { name: 'generated repo: node .projenrc.ts', command: process.execPath, argv: ['.projenrc.ts'], cwd: repo },
      // Node's compile cache (Node ≥ 22.1) for every process of the synth, filled by the warm-up round.
      { name: cachedName, command: 'npx', argv: ['projen'], cwd: repo, env: { ...benchEnv, NODE_COMPILE_CACHE: tempIn(context, 'compile-cache-') } },
    ];
    if (context.flags.has('--compare')) {
      variants.push(
        { name: 'generated repo: tsx .projenrc.ts', command: 'npx', argv: ['tsx', '.projenrc.ts'], cwd: repo },
        // projen's default runner: ts-node with type-checking (under "type": "module" it needs the ESM loader).
        { name: 'generated repo: ts-node/esm, type-checked', command: process.execPath, argv: ['--loader', 'ts-node/esm', '.projenrc.ts'], cwd: repo },
      );
    }
    context.log(`synth: ${context.runs} rounds of ${variants.map((v) => v.name).join(', ')}`);
    const ms = await rounds(
      variants.map((v) => ({ name: v.name, run: () => timed(() => sh(v.command, v.argv, v.cwd, v.env)) })),
      context.runs,
    );
    const ours = ms[variants[0]!.name]!;
    const theirs = ms[variants[1]!.name]!;
    const synthAlone = median(ms[variants[2]!.name]!);
    const ratio = pairedRatio(ours, theirs);

    // Every Node process `npx projen` starts (npm's npx, projen's CLI, the task's `node .projenrc.ts`) writes a profile.
    const profileDir = tempIn(context, 'synth-profile-');
    sh('npx', ['projen'], repo, { ...benchEnv, NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}` });
    const profiles = summarizeProfiles(profileDir);
    const oursMedian = median(ours);
    const breakdown =
      `\`node .projenrc.ts\` alone (the default task: loading projen and the project type, rendering, writing) takes ${formatMs(synthAlone)}; ` +
      `the other ${formatMs(oursMedian - synthAlone)} is \`npx\` resolving projen and projen's CLI starting its task runner, which spawns the task through a shell`;
    return {
      id: 'synth',
      title: '3. Synth',
      method:
        '`npx projen` in a repository scaffolded by the installed tarball (with that tarball installed in it), against `npx projen` in ' +
        `a default \`projen new typescript\` project (${anchors.projen}; its default runner is ts-node, type-checked) after its \`npm install\`. ` +
        `Warm: one warm-up round, then ${context.runs} rounds in turn; nothing changes between runs.`,
      tables: [
        [
          ['command', 'median', 'min', 'max', 'ratio (paired)'],
          ...variants.map((v, i) => {
            const values = ms[v.name]!;
            return [v.name, formatMs(median(values)), formatMs(Math.min(...values)), formatMs(Math.max(...values)), i === 1 ? `ours ÷ it: ${formatRatio(ratio)}` : ''];
          }),
        ],
      ],
      targets: [
        {
          what: 'warm `npx projen` in a generated repo',
          target: '≤ 1 s',
          measured: formatMs(oursMedian),
          met: oursMedian <= 1000,
          miss: `${formatMs(oursMedian - 1000)} over (${Math.round((oursMedian / 1000 - 1) * 100)}%). ${breakdown}. Wall time each process adds (profiled run, outermost first): ${chain(profiles)}. With NODE_COMPILE_CACHE warm: ${formatMs(median(ms[cachedName]!))}.`,
        },
      ],
      notes: [
        `Breakdown: ${breakdown}.`,
        `CPU profiles of one \`npx projen\`: each Node process waits for the next, so its own share is its wall time less the next one's. ` +
          `${chain(profiles)}. Per process, outermost first:\n${profiles.map((p) => `  - ${describeProfile(p, 4)}`).join('\n')}`,
      ],
      data: { ms, ratio, synthAloneMs: synthAlone, profiles },
    };
  };
};
