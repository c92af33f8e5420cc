export * from './connect-github.js';
export * from './github-args.js';
export * from './github-error.js';
export * from './github-token.js';
export * from './planned-calls.js';
export * from './provision.js';
export * from './redact.js';
export * from './subject-format.js';
