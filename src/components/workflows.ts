import type { Component } from './component.js';

export const workflowsComponent: Component = {
  name: 'workflows',
  files: [],
};
