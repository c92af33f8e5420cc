import { describe, expect, it } from 'vitest';
import { removeMarker } from '../../src/projen/eject.js';
import { addMarker, MARKER } from '../../src/render/marker.js';

describe('removeMarker', () => {
  it.each([
    ['scripts/deploy.sh', '#!/bin/sh\nset -eu\necho "# not the marker"\n'],
    ['terraform/modules/ecr/main.tf', 'resource "aws_ecr_repository" "this" {}\n'],
    ['.github/workflows/ci.yml', 'name: ci\non: push\n'],
    ['docs/upgrading.md', '# Upgrading\n\nText.\n'],
    ['service/src/app.ts', 'export const app = 1;\n'],
    ['package.json', `${JSON.stringify({ name: 'demo', private: true }, undefined, 2)}\n`],
  ])('gives back exactly what the render core marked (%s)', (path, content) => {
    // GIVEN a managed file as rendered; WHEN its marker is removed; THEN the content is what the template produced
    const marked = addMarker(path, content);
    expect(marked).toContain(path.endsWith('.json') ? JSON.stringify(MARKER) : MARKER);
    expect(removeMarker(path, marked)).toBe(content);
  });

  it('leaves a file without the marker, and hand-broken JSON, as they are', () => {
    // GIVEN files that carry no parsable marker; WHEN / THEN nothing changes and nothing throws
    expect(removeMarker('README.md', `# Readme mentioning ${MARKER} in prose\n`)).toBe(`# Readme mentioning ${MARKER} in prose\n`);
    const broken = `{\n  "name": "demo",\n  "//": ${JSON.stringify(MARKER)},\n`;
    expect(removeMarker('package.json', broken)).toBe(broken);
  });
});
