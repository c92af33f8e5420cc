import type { Component } from './component.js';

/**
 * The static frontend (`frontend/`: its files, a dependency-free Node server and its tests) and the local
 * `docker-compose.yml` running it with the API. Sample files: the user's from the first render on.
 */
export const frontendComponent: Component = {
  name: 'frontend',
  files: [
    { from: 'frontend', owner: 'sample', when: (data) => data.options.frontend !== false },
    { from: 'docker-compose.yml.hbs', owner: 'sample' },
  ],
};
