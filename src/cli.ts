import { main } from './cli/main.js';

/** The Yeoman generator, for `generators/app` (Yeoman's conventional entry) and for embedding. */
export { default as AppGenerator } from './generator/app-generator.js';

/** Runs the CLI on this process: arguments, terminal, output streams and exit code. */
export async function run(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  process.exitCode = await main(argv, {
    cwd: process.cwd(),
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
