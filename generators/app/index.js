// Yeoman's conventional entry for the generator. Its code lives in src/generator/ and ships inlined in dist/cli.js,
// which the CLI also uses (it registers the same class), so there is one generator, not two.
export { AppGenerator as default } from '../../dist/cli.js';
