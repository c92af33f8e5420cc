import type { Component } from './component.js';

export const serviceComponent: Component = {
  name: 'service',
  files: [],
};
