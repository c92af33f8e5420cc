import { optionTable } from '../options/option-table.js';
import type { Component } from './component.js';

export const docsComponent: Component = {
  name: 'docs',
  files: [{ from: 'docs/upgrading.md.hbs', owner: 'managed' }],
  data: () => ({
    /** Every option of `.projenrc.ts`, from the option table, so docs/upgrading.md cannot drift from it. */
    options: optionTable.map((row) => ({ key: row.key, flag: 'flag' in row ? `\`--${row.flag}\`` : '—', description: row.description })),
  }),
};
