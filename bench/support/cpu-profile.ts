import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileSummary {
  /** The process's wall time from the profiler's start to its end, in ms. */
  readonly wallMs: number;
  /** Self time by where the code lives (package, file, Node's module loader, GC…), largest first, in ms. */
  readonly groups: readonly { readonly name: string; readonly ms: number }[];
}

/** Where a frame's code lives: an npm package, a project file, Node's module loader, or a V8 pseudo-frame. */
function groupOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) {
    if (['(garbage collector)', '(idle)', '(program)'].includes(functionName)) return functionName;
    // Native bindings by name (writev, writeUtf8String, read…): which kind of I/O or encoding the time went to.
    return functionName.startsWith('RegExp:') ? '(regular expressions)' : `native ${functionName || '(anonymous)'}`;
  }
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (inPackage) return `package ${inPackage[1]}`;
  if (/^node:internal\/(modules|bootstrap)\//.test(url)) return 'Node: loading and compiling modules';
  if (url.startsWith('node:')) return 'Node: internals';
  return url.replace(/^file:\/\//, '').replace(/^.*\/(?=[^/]+\/[^/]+$)/, '…/');
}

export function summarizeProfile(path: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const group = groupOf(frames.get(id)!);
    self.set(group, (self.get(group) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  const groups = [...self].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms);
  return { wallMs: (profile.endTime - profile.startTime) / 1000, groups };
}

/** Every profile Node wrote into `dir` (one per process started with --cpu-prof), longest first. */
export function summarizeProfiles(dir: string): ProfileSummary[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => summarizeProfile(join(dir, name)))
    .sort((a, b) => b.wallMs - a.wallMs);
}

/** "1.02 s: package yeoman-environment 310 ms (30%), …" for the `top` largest groups. */
export function describeProfile(summary: ProfileSummary, top = 5): string {
  const total = summary.groups.reduce((sum, group) => sum + group.ms, 0);
  const parts = summary.groups.slice(0, top).map((group) => `${group.name} ${Math.round(group.ms)} ms (${Math.round((100 * group.ms) / total)}%)`);
  return `${Math.round(summary.wallMs)} ms of wall time; self time by origin: ${parts.join(', ')}`;
}
