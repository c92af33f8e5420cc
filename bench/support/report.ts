/** A table as rows of cells; the first row is the header. */
export type Table = readonly (readonly string[])[];

/** A target from issue 6, reported and never asserted. */
export interface Target {
  readonly what: string;
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
  /** When missed: by how much, and what dominates (from the section's profile). */
  readonly miss?: string;
}

/** What one benchmark section found, ready to print and to write into RESULTS.md. */
export interface SectionResult {
  readonly id: string;
  readonly title: string;
  /** How it was measured, in a sentence or two (markdown). */
  readonly method: string;
  readonly tables: readonly Table[];
  readonly targets: readonly Target[];
  /** Observations and profiles (markdown paragraphs or lists). */
  readonly notes: readonly string[];
  /** Raw figures, for the JSON line. */
  readonly data: unknown;
}

export function markdownTable(table: Table): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const [head = [], ...rows] = table;
  const align = head.map((_, column) => (column === 0 ? '---' : '---:'));
  return [head, align, ...rows].map((row) => `| ${row.map(escape).join(' | ')} |`).join('\n');
}

export function textTable(table: Table): string {
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => (row[column] ?? '').length)));
  return table.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')).join('\n');
}

export function targetsTable(targets: readonly Target[]): Table {
  return [['target', 'wanted', 'measured', 'verdict'], ...targets.map((t) => [t.what, t.target, t.measured, t.met ? 'met' : 'MISSED'])];
}
