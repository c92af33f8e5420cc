import { spawn } from 'node:child_process';
import { requireTool } from './tools.js';

export interface Exchange {
  /** Text the program prints (ANSI codes removed) before it expects the answer. */
  readonly waitFor: string | RegExp;
  /** Keys to type; `\r` is Enter. A list is typed one entry at a time, each once the screen has settled. */
  readonly type: string | readonly string[];
}

/** Keys as a terminal sends them. */
export const keys = { up: '\u001b[A', down: '\u001b[B', enter: '\r', clearLine: '\u0015' } as const;

// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;?]*[A-Za-z]|\u001b[()][A-Z0-9]/g;

export interface TerminalRun {
  readonly exitCode: number | null;
  /** Everything printed, as plain text (line ends as `\n`). */
  readonly output: string;
  /** Where in `output` each exchange's `waitFor` was found, in order. */
  readonly matchedAt: readonly number[];
}

/**
 * Runs a command under a pseudo-terminal (util-linux `script`) so it behaves as in a user's terminal, answering
 * each prompt only once it appears. Resolves with the exit code and the plain-text screen output.
 */
export function runInTerminal(command: readonly string[], cwd: string, exchanges: readonly Exchange[], { timeoutMs = 30_000, env = {} }: { timeoutMs?: number; env?: Record<string, string> } = {}) {
  requireTool('script', 'apt-get install -y bsdutils (util-linux script)', ['--version']);
  const quoted = command.map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  // A wide terminal, so that no prompt or message is wrapped across the text a test waits for.
  const child = spawn('script', ['-qefc', `stty cols 200 rows 50; exec ${quoted}`, '/dev/null'], { cwd, env: { ...process.env, NO_COLOR: '1', TERM: 'xterm', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let screen = '';
  let consumed = 0;
  let step = 0;
  const matchedAt: number[] = [];
  // Keys go out one batch at a time, in order: a list's entries 100 ms apart, so that a menu has redrawn before the next.
  let typing = Promise.resolve();
  const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  return new Promise<TerminalRun>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out waiting for ${String(exchanges[step]?.waitFor ?? 'exit')}; screen:\n${screen}`));
    }, timeoutMs);
    const advance = () => {
      while (step < exchanges.length) {
        const { waitFor, type } = exchanges[step]!;
        const rest = screen.slice(consumed);
        const index = typeof waitFor === 'string' ? rest.indexOf(waitFor) : rest.search(waitFor);
        if (index < 0) return;
        matchedAt.push(consumed + index);
        consumed += index + 1;
        step += 1;
        const batches = typeof type === 'string' ? [type] : type;
        // a short pause lets the prompt finish drawing before keys arrive
        typing = typing.then(async () => {
          for (const batch of batches) {
            await pause(batches.length > 1 ? 100 : 50);
            child.stdin.write(batch);
          }
        });
      }
    };
    // The terminal ends lines with \r\n.
    const plain = (chunk: Buffer) => chunk.toString('utf8').replace(ansi, '').replaceAll('\r\n', '\n');
    child.stdout.on('data', (chunk: Buffer) => {
      screen += plain(chunk);
      advance();
    });
    child.stderr.on('data', (chunk: Buffer) => (screen += plain(chunk)));
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (step < exchanges.length) reject(new Error(`exited (${code}) while waiting for ${String(exchanges[step]!.waitFor)}; screen:\n${screen}`));
      else resolve({ exitCode: code, output: screen, matchedAt });
    });
  });
}
