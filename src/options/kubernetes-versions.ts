/**
 * Kubernetes minor versions a new EKS cluster may be created with: those in EKS standard support on the day this
 * package was released, newest first. Dates are EKS's own release calendar (UTC): after `endOfStandardSupport` a
 * cluster enters extended support, billed extra per cluster hour, until `endOfExtendedSupport`, when EKS upgrades its
 * control plane by itself. Moving on means a new release of this package: bump the list, read the snapshot diff.
 */
export const kubernetesVersions = [
  { version: '1.36', eksRelease: '2026-06-02', endOfStandardSupport: '2027-08-02', endOfExtendedSupport: '2028-08-02' },
  { version: '1.35', eksRelease: '2026-01-27', endOfStandardSupport: '2027-03-27', endOfExtendedSupport: '2028-03-27' },
] as const;

export type KubernetesVersion = (typeof kubernetesVersions)[number]['version'];

/** The default: the newest version, in standard support the longest. */
export const defaultKubernetesVersion: KubernetesVersion = kubernetesVersions[0].version;

/**
 * Versions that have left standard support (their clusters cost the extended-support rate): named in the message
 * that refuses them, so the user learns why rather than only that.
 */
export const kubernetesVersionsPastStandardSupport: Readonly<Record<string, string>> = {
  '1.34': '2026-12-02',
  '1.33': '2026-07-29',
  '1.32': '2026-03-23',
  '1.31': '2025-11-26',
};
