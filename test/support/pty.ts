import { spawn } from 'node:child_process';
import { requireTool } from './tools.js';

export interface Exchange {
  /** Text the program prints (ANSI codes removed) before it expects the answer. */
  readonly waitFor: string | RegExp;
  /** Keys to type; `\r` is Enter. */
  readonly type: string;
}

// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;?]*[A-Za-z]|\u001b[()][A-Z0-9]/g;

/**
 * Runs a command under a pseudo-terminal (util-linux `script`) so it behaves as in a user's terminal, answering
 * each prompt only once it appears. Resolves with the exit code and the plain-text screen output.
 */
export function runInTerminal(command: readonly string[], cwd: string, exchanges: readonly Exchange[], timeoutMs = 30_000) {
  requireTool('script', 'apt-get install -y bsdutils (util-linux script)', ['--version']);
  const quoted = command.map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qefc', quoted, '/dev/null'], { cwd, env: { ...process.env, NO_COLOR: '1', TERM: 'xterm' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let screen = '';
  let consumed = 0;
  let step = 0;
  return new Promise<{ exitCode: number | null; output: string }>((resolve, reject) => {
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
        consumed += index + 1;
        step += 1;
        // a short pause lets the prompt finish drawing before keys arrive
        setTimeout(() => child.stdin.write(type), 50);
      }
    };
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString('utf8').replace(ansi, '');
      advance();
    });
    child.stderr.on('data', (chunk: Buffer) => (screen += chunk.toString('utf8').replace(ansi, '')));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, output: screen });
    });
  });
}
