import type { ParsedArgs } from '../cli/args.js';
import type { Io } from '../cli/scaffold.js';

export async function doctorCommand(_args: ParsedArgs, io: Io): Promise<number> {
  io.err('create-ec2-oidc-pipeline: doctor is not available yet');
  return 1;
}
