import type { Stats } from 'node:fs';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { appliesTo, checkOption, describeForPrompt, optionByKey, optionTable, resolveOptions, type AnyOptionDefinition, type DefaultContext, type PipelineOptions, type ResolvedOptions, type Target } from '../options/index.js';
import { renderRepository } from '../render/render-repository.js';
import type { RenderedFile } from '../render/rendered-file.js';

export type RawOptions = Partial<Record<keyof PipelineOptions, unknown>>;

/** What the CLI hands the generator: values from flags, and what defaults may depend on. */
export interface AppGeneratorOptions {
  readonly flags: RawOptions;
  readonly context: DefaultContext;
  readonly interactive: boolean;
  /** Receives the resolved options and the files once written, for the CLI's install, git and next steps. */
  readonly onWritten?: (options: ResolvedOptions, files: readonly RenderedFile[]) => void;
}

const splitList = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

/** An answer typed at a prompt as the option's kind. */
function answerValue(row: AnyOptionDefinition, answer: string | boolean): unknown {
  if (typeof answer === 'boolean') return answer;
  if (row.kind === 'list') return splitList(answer);
  if (row.kind === 'number' && /^\s*\d{1,9}\s*$/.test(answer)) return Number(answer);
  return answer.trim();
}

/**
 * A prompt for each row that has a question and that no flag answered; validation is the row's own. Rows of some
 * targets only are asked when the target (from its flag, an earlier answer or its default) is one of them.
 */
export function questionsFor(flags: RawOptions, context: DefaultContext) {
  const defaultTarget = optionByKey.target!.default!({}, {});
  const targetOf = (answers: RawOptions) => (answers.target ?? flags.target ?? defaultTarget) as Target;
  return (optionTable as readonly AnyOptionDefinition[])
    .filter((row) => row.prompt && flags[row.key] === undefined)
    .map((row) => {
      const fallback = row.default?.(context, flags as Partial<PipelineOptions>);
      const when = row.targets ? { when: (answers: RawOptions) => appliesTo(row, targetOf(answers)) } : {};
      return {
        type: row.kind === 'boolean' ? ('confirm' as const) : ('input' as const),
        name: row.key,
        message: row.prompt!,
        default: Array.isArray(fallback) ? fallback.join(',') : typeof fallback === 'boolean' || fallback === undefined ? fallback : String(fallback),
        validate: (answer: string | boolean) => {
          const verdict = checkOption(row, answerValue(row, answer));
          return verdict === true ? true : describeForPrompt(verdict);
        },
        filter: (answer: string | boolean) => answerValue(row, answer),
        ...when,
      };
    });
}

/**
 * The Yeoman front end of the render core: prompts for what flags did not give, writes the rendered files through
 * mem-fs (so the conflicter asks before overwriting anything), and nothing else — install, git and next steps are
 * the CLI's.
 */
export default class AppGenerator extends Generator {
  private pipelineOptions?: ResolvedOptions;
  private files: readonly RenderedFile[] = [];

  constructor(args: string[], options: BaseOptions) {
    // The CLI installs the service's dependencies itself (and only them): Yeoman's own root `npm install`, and its
    // notice that it skipped one, stay out of the way.
    super(args, options, { customInstallTask: true });
  }

  private get settings(): AppGeneratorOptions {
    return (this.options as unknown as { settings: AppGeneratorOptions }).settings;
  }

  async prompting() {
    const { flags, context, interactive } = this.settings;
    const answers = interactive ? await this.prompt(questionsFor(flags, context) as never) : {};
    this.pipelineOptions = resolveOptions({ ...flags, ...(answers as RawOptions) }, context);
  }

  writing() {
    this.files = renderRepository(this.pipelineOptions!);
    for (const file of this.files) {
      this.fs.write(this.destinationPath(file.path), file.content, { stat: { mode: file.mode } as Stats });
    }
  }

  end() {
    this.settings.onWritten?.(this.pipelineOptions!, this.files);
  }
}
