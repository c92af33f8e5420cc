import { Declined } from '../generator/declined.js';
import { GithubError } from '../github/github-error.js';
import { OptionsError, describeForCli } from '../options/index.js';
import { packageVersion } from '../render/templates-dir.js';
import { helpText, parseCliArgs, UsageError } from './args.js';
import type { Io } from './scaffold.js';

/** Runs the CLI and answers its exit code: 0 done, 1 failed, 2 bad input. User errors are one line, no stack. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const args = parseCliArgs(argv);
    if (args.help) {
      io.out(helpText());
      return 0;
    }
    if (args.version) {
      io.out(packageVersion());
      return 0;
    }
    if (args.command === 'doctor') {
      const { doctorCommand } = await import('../doctor/doctor-command.js');
      return await doctorCommand(args, io);
    }
    // Loaded on demand: Yeoman costs most of a second to import, and --help, --version and doctor do not need it.
    const { scaffold } = await import('./scaffold.js');
    return await scaffold(args, io);
  } catch (error) {
    if (error instanceof OptionsError) {
      io.err(`create-ec2-oidc-pipeline: ${describeForCli(error.problems[0]!)}`);
      return 2;
    }
    if (error instanceof UsageError) {
      io.err(`create-ec2-oidc-pipeline: ${error.message}`);
      return 2;
    }
    if (error instanceof GithubError) {
      io.err(`create-ec2-oidc-pipeline: GitHub: ${error.message}`);
      return 1;
    }
    if (error instanceof Declined) {
      io.err('create-ec2-oidc-pipeline: not confirmed; nothing was written');
      return 1;
    }
    if (isPromptAbort(error)) {
      io.err('create-ec2-oidc-pipeline: cancelled; nothing was written');
      return 130;
    }
    io.err(`create-ec2-oidc-pipeline: ${(error as Error).stack ?? String(error)}`);
    return 1;
  }
}

function isPromptAbort(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  return name === 'ExitPromptError' || name === 'AbortPromptError' || /force closed the prompt/.test(String((error as Error)?.message));
}
