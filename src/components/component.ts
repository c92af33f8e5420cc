import type { FileOwner } from '../render/rendered-file.js';
import type { TemplateData } from '../render/template-data.js';

/**
 * Declares templates a component renders. `from` is a path under templates/ (under templates/_targets/<target>/ with
 * `ofTarget`): one `.hbs` file, or a folder whose every `.hbs` file is rendered. The output path is the template path
 * without `.hbs`, with a leading `_` of a segment turned into `.` (`_github` → `.github`) and `__environment__`
 * replaced by each environment's name.
 */
export interface FileRule {
  readonly from: string;
  readonly owner: FileOwner;
  /** Render only when this holds. */
  readonly when?: (data: TemplateData) => boolean;
  /** Render once per environment, with `environment` set in the data. */
  readonly perEnvironment?: boolean;
  /**
   * `from` is read under `_targets/<target>/`: a file (or folder) every target has, in each target's own version. The
   * output path is the same for all of them (`_targets/ec2/scripts/deploy.sh.hbs` → `scripts/deploy.sh`).
   */
  readonly ofTarget?: boolean;
  /** Templates under a folder `from` that this rule leaves out (paths relative to `from`): another rule renders them. */
  readonly exclude?: readonly string[];
}

export interface Component {
  readonly name: string;
  readonly files: readonly FileRule[];
  /**
   * Extra template data, available to every template as `data.<component name>` — derived here, in TypeScript, so
   * templates stay logic-free.
   */
  readonly data?: (base: TemplateData) => object;
}

/** Where a rule's templates are, under templates/, for a repository of this target. */
export function templateSource(rule: FileRule, target: string): string {
  return rule.ofTarget ? `_targets/${target}/${rule.from}` : rule.from;
}
