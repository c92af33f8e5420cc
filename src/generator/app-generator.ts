import type { Stats } from 'node:fs';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { resolveOptions, type DefaultContext, type ResolvedOptions } from '../options/index.js';
import { renderRepository } from '../render/render-repository.js';
import type { RenderedFile } from '../render/rendered-file.js';
import { Declined } from './declined.js';
import { questionsFor, summaryLines, type RawOptions } from './questions.js';

export { questionsFor, type RawOptions } from './questions.js';

/** The confirmation an interactive run asks before writing: the summary, then one yes/no question (Enter: yes). */
export interface Confirmation {
  /** Prints the summary lines. */
  readonly say: (line: string) => void;
  /** The question, given the number of files, e.g. `Write 86 files to demo?`. */
  readonly question: (fileCount: number) => string;
}

/** What the CLI hands the generator: values from flags, and what defaults may depend on. */
export interface AppGeneratorOptions {
  readonly flags: RawOptions;
  readonly context: DefaultContext;
  readonly interactive: boolean;
  /** Asked in interactive runs once the answers are in, before anything is written or created. */
  readonly confirmation?: Confirmation;
  /**
   * Runs after the answers and the confirmation, before rendering; what it answers overrides the options. For
   * `--create-github-repo`: it creates the repository and answers the OIDC subjects GitHub reports for it.
   */
  readonly prepare?: (options: ResolvedOptions) => Promise<RawOptions>;
  /** Receives the resolved options and the files once written, for the CLI's install, git and next steps. */
  readonly onWritten?: (options: ResolvedOptions, files: readonly RenderedFile[]) => void;
}

/**
 * The Yeoman front end of the render core: prompts for what flags did not give, confirms, writes the rendered files
 * through mem-fs (so the conflicter asks before overwriting anything), and nothing else — install, git and next
 * steps are the CLI's.
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
    const { flags, context, interactive, confirmation, prepare } = this.settings;
    const answers = interactive ? ((await this.prompt(questionsFor(flags, context) as never)) as RawOptions) : {};
    let options = resolveOptions({ ...flags, ...answers }, context);
    let files: readonly RenderedFile[] | undefined;
    if (interactive && confirmation) {
      files = renderRepository(options);
      for (const line of ['', ...summaryLines(options)]) confirmation.say(line);
      const { write } = (await this.prompt([{ type: 'confirm', name: 'write', message: confirmation.question(files.length), default: true }] as never)) as { write: boolean };
      if (!write) throw new Declined();
    }
    if (prepare) {
      options = resolveOptions({ ...flags, ...answers, ...(await prepare(options)) }, context);
      files = undefined;
    }
    this.pipelineOptions = options;
    this.files = files ?? renderRepository(options);
  }

  writing() {
    for (const file of this.files) {
      this.fs.write(this.destinationPath(file.path), file.content, { stat: { mode: file.mode } as Stats });
    }
  }

  end() {
    this.settings.onWritten?.(this.pipelineOptions!, this.files);
  }
}
