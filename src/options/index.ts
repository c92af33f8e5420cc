export * from './aws-regions.js';
export * from './option-table.js';
export * from './pipeline-options.js';
export * from './resolve-options.js';
export * from './validators.js';
export * from './kubernetes-versions.js';
