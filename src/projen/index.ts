export * from './pipeline-project.js';
