import { execa } from 'execa';

/** `aws <args> --output json` in this environment (a moto server's, or one of its accounts'), parsed. */
export async function awsJson<T = unknown>(env: Record<string, string>, args: readonly string[]): Promise<T> {
  const { stdout } = await execa('aws', [...args, '--output', 'json'], { env, stdin: 'ignore' });
  return JSON.parse(stdout) as T;
}
