import { execFileSync } from 'node:child_process';

/**
 * Fails (never skips) when a tool the tests need is missing, and says how to install it.
 */
export function requireTool(command: string, install: string, versionArgs: readonly string[] = ['--version']): string {
  try {
    return execFileSync(command, [...versionArgs], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`${command} is not installed; the tests need it. Install it with: ${install}`);
    throw error;
  }
}
