// Yeoman's conventional location for the generator; the code lives in src/ (compiled to lib/).
export { default } from '../../lib/generator/app-generator.js';
