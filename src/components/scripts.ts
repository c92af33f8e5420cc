import type { Component } from './component.js';

export const scriptsComponent: Component = {
  name: 'scripts',
  files: [],
};
