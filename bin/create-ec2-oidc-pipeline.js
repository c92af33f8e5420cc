#!/usr/bin/env node
// Kept to syntax every Node.js parses, so an old runtime gets a clear message instead of a crash.
var required = [22, 18];
var current = process.versions.node.split('.').map(Number);
if (current[0] < required[0] || (current[0] === required[0] && current[1] < required[1])) {
  process.stderr.write('create-ec2-oidc-pipeline needs Node.js >= ' + required.join('.') + ' (this is ' + process.versions.node + '); install Node.js 22 LTS or newer.\n');
  process.exit(1);
}
// Node's compile cache: later runs reuse the code V8 compiled from the bundle (2 MB) instead of compiling it again, a
// fifth of a scaffold's time. In the OS temp folder, or NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
// An optimization only: where the folder cannot be written, modules compile as usual (it never throws).
process.getBuiltinModule('node:module').enableCompileCache();
// The CLI and everything it uses, in one file (built by projenrc/bundle.ts: `npm run compile`).
import('../dist/cli.js').then(function (cli) {
  return cli.run();
});
