// Graviton: a1, and families with a `g` after the generation digit (t4g, m7g, c6gn, im4gn, …).
const arm64Family = /^(a1|[a-z]+\d+g[a-z]*)$/;

/** CPU architecture of an EC2 instance type, from its family. */
export function architectureOf(instanceType: string): 'x86_64' | 'arm64' {
  return arm64Family.test(instanceType.split('.')[0] ?? '') ? 'arm64' : 'x86_64';
}
