import type { Component } from './component.js';

export const docsComponent: Component = {
  name: 'docs',
  files: [],
};
