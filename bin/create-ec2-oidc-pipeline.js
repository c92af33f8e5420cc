#!/usr/bin/env node
// Kept to syntax every Node.js parses, so an old runtime gets a clear message instead of a crash.
var required = [22, 18];
var current = process.versions.node.split('.').map(Number);
if (current[0] < required[0] || (current[0] === required[0] && current[1] < required[1])) {
  process.stderr.write('create-ec2-oidc-pipeline needs Node.js >= ' + required.join('.') + ' (this is ' + process.versions.node + '); install Node.js 22 LTS or newer.\n');
  process.exit(1);
}
// The CLI and everything it uses, in one file (built by projenrc/bundle.ts: `npm run compile`).
import('../dist/cli.js').then(function (cli) {
  return cli.run();
});
