import type { Component } from './component.js';

export const terraformComponent: Component = {
  name: 'terraform',
  files: [],
};
