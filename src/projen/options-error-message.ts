import { describeForCode, optionTable, type OptionsError } from '../options/index.js';

/** Edit distance, for suggesting the option a typo meant. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The closest option key to an unknown one, when it is close enough to be a typo. */
export function closestOption(key: string): string | undefined {
  let best: { key: string; cost: number } | undefined;
  for (const row of optionTable) {
    const cost = distance(key.toLowerCase(), row.key.toLowerCase());
    if (!best || cost < best.cost) best = { key: row.key, cost };
  }
  return best && best.cost <= Math.max(2, Math.floor(key.length / 4)) ? best.key : undefined;
}

/**
 * How option problems read when `.projenrc.ts` runs: every problem on its own line, named after the option key as
 * written in `.projenrc.ts`, with a suggestion for a misspelt key.
 */
export function optionsErrorMessage(error: OptionsError): string {
  const lines = error.problems.map((problem) => {
    if (optionTable.some((r) => r.key === problem.key)) return `  ${describeForCode(problem)}`;
    const suggestion = closestOption(problem.key);
    const hint = suggestion ? `did you mean ${JSON.stringify(suggestion)}?` : `the options are ${optionTable.map((r) => r.key).join(', ')} (docs/upgrading.md)`;
    return `  ${JSON.stringify(problem.key)} is not an option of Ec2OidcPipelineProject; ${hint}`;
  });
  return `Ec2OidcPipelineProject: invalid options in .projenrc.ts:\n${lines.join('\n')}`;
}
