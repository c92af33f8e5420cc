import type { Finding } from './finding.js';
import { parseHcl, type HclBody } from './hcl-reader.js';
import { HclSyntaxError } from './hcl-tokens.js';
import type { RepositoryFiles } from './repository-files.js';

/**
 * The AWS accounts the Terraform roots name: each environment root's provider allows exactly the account its
 * environment lives in (`allowed_account_ids`), and the bootstrap root, run once per account, allows all of them.
 * Nothing is named when every environment lives in one account (then the workflows read it from one variable).
 */
export interface AccountReading {
  /** Environment name → the one account its root allows. */
  readonly environments: ReadonlyMap<string, string>;
  /** Accounts the bootstrap root allows: each holds its own copy of the bootstrap's roles. */
  readonly bootstrap: readonly string[];
  readonly findings: readonly Finding[];
}

const rootOf = (path: string) => /^terraform\/(bootstrap|environments\/([^/]+))\/[^/]+\.tf$/.exec(path);

/** `allowed_account_ids` of the default (unaliased) `provider "aws"` blocks of one file. */
function allowedAccounts(file: string, body: HclBody, findings: Finding[]): string[] | null {
  let found: string[] | null = null;
  for (const block of body.blocks) {
    if (block.type !== 'provider' || block.labels[0] !== 'aws' || block.body.attributes.has('alias')) continue;
    const attribute = block.body.attributes.get('allowed_account_ids');
    if (!attribute) continue;
    const value = attribute.value;
    if (value.kind !== 'list' || !value.items.every((item) => item.kind === 'string')) {
      findings.push({ file, message: `cannot read allowed_account_ids (line ${attribute.line}): write the account ids as a literal list of strings` });
      continue;
    }
    found = value.items.map((item) => (item as { value: string }).value);
  }
  return found;
}

/** Reads which account each environment lives in from its root's provider, and the accounts the bootstrap allows. */
export function readAccounts(files: RepositoryFiles): AccountReading {
  const findings: Finding[] = [];
  const environments = new Map<string, string>();
  let bootstrap: string[] = [];
  for (const [file, text] of files) {
    const root = rootOf(file);
    if (!root || /_override\.tf$/.test(file)) continue;
    let body: HclBody;
    try {
      body = parseHcl(text);
    } catch (error) {
      if (!(error instanceof HclSyntaxError)) throw error;
      continue; // readTrust reports files it cannot parse
    }
    const accounts = allowedAccounts(file, body, findings);
    if (accounts === null) continue;
    const environment = root[2];
    if (environment === undefined) {
      bootstrap = accounts;
    } else if (accounts.length === 1) {
      environments.set(environment, accounts[0]!);
    } else {
      findings.push({ file, message: `allows ${accounts.length === 0 ? 'no account' : `several accounts (${accounts.join(', ')})`}: an environment lives in one account; name it alone in allowed_account_ids` });
    }
  }
  return { environments, bootstrap, findings };
}
