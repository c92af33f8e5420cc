import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTool } from './tools.js';

export interface MotoServer {
  readonly endpoint: string;
  readonly port: number;
  /** Environment for AWS CLI / SDK / Terraform processes aimed at this server. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface StartMotoOptions {
  /** A Python launcher that patches moto before serving (argv: --port N); default: stock `moto_server`. */
  readonly launcher?: string;
  readonly region?: string;
  readonly env?: Record<string, string>;
}

/**
 * The interpreter itself, not a version manager's shim: pyenv's shim puts its own bin folder (with the real `aws`)
 * first on PATH, so commands the launcher runs would bypass the stand-ins a test put first.
 */
function pythonExecutable(): string {
  return execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
}

/**
 * Starts moto on 127.0.0.1 at a free port, with AWS managed policies loaded, and waits until it answers.
 * `stop()` kills exactly the process started here.
 */
export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  if (options.launcher) requireTool('python3', 'apt-get install -y python3 && pip install "moto[server]"');
  else requireTool('moto_server', 'pip install "moto[server]"', ['--help']);
  const port = await freePort();
  const region = options.region ?? 'us-east-1';
  // Output goes to a file, not a pipe: a test blocked in a synchronous child process stops reading pipes, and a
  // full pipe freezes moto.
  const logPath = join(mkdtempSync(join(tmpdir(), 'moto-')), 'moto.log');
  const logFd = openSync(logPath, 'w');
  const env = { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true', ...options.env };
  const child: ChildProcess = options.launcher
    ? spawn(pythonExecutable(), [options.launcher, '--port', String(port)], { env, stdio: ['ignore', logFd, logFd] })
    : spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { env, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  const tail = () => readFileSync(logPath, 'utf8').slice(-20_000);
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto exited with ${child.exitCode} before serving:\n${tail()}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto did not answer on ${endpoint} within 60 s:\n${tail()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    endpoint,
    port,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_SESSION_TOKEN: 'testing',
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}

/**
 * Credentials acting in another account of the same moto server: moto answers `sts assume-role` into
 * `arn:aws:iam::<account>:role/<any name>` with credentials whose calls act in that account, and what they create is
 * invisible from the default account (123456789012) and from every other. So one server stands in for several AWS
 * accounts, as an administrator of each would see them.
 */
export async function accountEnv(moto: MotoServer, accountId: string): Promise<Record<string, string>> {
  const { stdout } = await promisify(execFile)(
    'aws',
    ['sts', 'assume-role', '--role-arn', `arn:aws:iam::${accountId}:role/administrator`, '--role-session-name', 'test-admin', '--output', 'json'],
    { env: { ...process.env, ...moto.env } },
  );
  const { Credentials: c } = JSON.parse(stdout) as { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } };
  return { ...moto.env, AWS_ACCESS_KEY_ID: c.AccessKeyId, AWS_SECRET_ACCESS_KEY: c.SecretAccessKey, AWS_SESSION_TOKEN: c.SessionToken };
}
