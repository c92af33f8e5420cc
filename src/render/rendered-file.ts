/**
 * Who owns a rendered file after the first scaffold. `managed` files are rewritten by `npx projen` on every upgrade and
 * carry a marker; `sample` files are written once and then belong to the user.
 */
export type FileOwner = 'managed' | 'sample';

export interface RenderedFile {
  /** POSIX path relative to the repository root. */
  readonly path: string;
  readonly content: string;
  /** 0o644, or 0o755 for executables. */
  readonly mode: number;
  readonly owner: FileOwner;
}
