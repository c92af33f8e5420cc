import type { Component } from './component.js';
import type { TemplateData } from '../render/template-data.js';

/** Options worth writing into `.projenrc.ts`: everything the user chose, not the empty projen-only defaults. */
function projenrcOptions(data: TemplateData): Record<string, unknown> {
  const { options } = data;
  const written: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0 && key !== 'environments') continue;
    if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0) continue;
    written[key] = value;
  }
  return written;
}

/** Root files: README, git and editor settings, and projen's entry points (`.projenrc.ts`, `package.json`). */
export const repoComponent: Component = {
  name: 'repo',
  files: [
    { from: 'README.md.hbs', owner: 'sample', ofTarget: true },
    { from: 'CODEOWNERS.hbs', owner: 'sample' },
    { from: '_projenrc.ts.hbs', owner: 'sample' },
    { from: '_gitignore.hbs', owner: 'managed' },
    { from: '_gitattributes.hbs', owner: 'managed' },
    { from: '_editorconfig.hbs', owner: 'managed' },
    { from: 'package.json.hbs', owner: 'managed' },
  ],
  data: (data) => ({
    projenrcOptions: JSON.stringify(projenrcOptions(data), undefined, 2),
  }),
};
