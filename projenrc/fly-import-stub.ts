// Stands in for fly-import in dist/cli.js (aliased by projenrc/bundle.ts). yeoman-environment uses it only to install
// generators from npm at run time, which this CLI never does (it registers its own generator class), and the real
// module loads npm's arborist: megabytes and hundreds of packages for a code path we do not take.

const unsupported = () =>
  new Error('create-ec2-oidc-pipeline does not install Yeoman generators from npm (fly-import is not bundled)');

/** Constructed by every yeoman-environment; only its install and import paths are unsupported. */
export class FlyRepository {
  readonly repositoryPath: string;

  constructor(config: { repositoryPath: string }) {
    this.repositoryPath = config.repositoryPath;
  }

  load(): Promise<never> {
    return Promise.reject(unsupported());
  }

  install(): Promise<never> {
    return Promise.reject(unsupported());
  }

  import(): Promise<never> {
    return Promise.reject(unsupported());
  }
}

export function flyInstall(): Promise<never> {
  return Promise.reject(unsupported());
}

export function flyImport(): Promise<never> {
  return Promise.reject(unsupported());
}
