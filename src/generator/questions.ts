import {
  checkOption,
  describeForPrompt,
  isAskedFor,
  menuLimit,
  optionTable,
  parseMapText,
  type AnyOptionDefinition,
  type DefaultContext,
  type PipelineOptions,
  type ResolvedOptions,
  type Target,
} from '../options/index.js';

export type RawOptions = Partial<Record<keyof PipelineOptions, unknown>>;

/** One question as inquirer takes it (`select` is the ↑/↓ menu); every field is derived from a row of the option table. */
export interface Question {
  readonly type: 'input' | 'select' | 'confirm';
  readonly name: keyof PipelineOptions;
  readonly message: string;
  /** The answer Enter gives, from the row's default and the answers so far; none when that default is not valid. */
  readonly default: (answers: RawOptions) => string | boolean | undefined;
  /** A menu's entries: the choice, and its one-line description beside it. */
  readonly choices?: readonly { readonly value: string; readonly name: string; readonly short: string }[];
  /** `true`, or what is wrong, phrased for the person typing (no flag named). */
  readonly validate?: (answer: string) => true | string;
  /** The typed text as the option's kind (a list split on commas, a whole number as a number). */
  readonly filter?: (answer: string | boolean) => unknown;
  /** Rows of some targets only are asked when the chosen target is one of them. */
  readonly when?: (answers: RawOptions) => boolean;
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
  if (row.kind === 'map') {
    const parsed = parseMapText(answer);
    return 'problem' in parsed ? answer : parsed;
  }
  if (row.kind === 'number' && /^\s*\d{1,9}\s*$/.test(answer)) return Number(answer);
  return answer.trim();
}

/** A value as a prompt offers it: a list comma-separated, a switch as itself, anything else as text. */
function asAnswer(value: unknown): string | boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.join(',');
  // A map as it is typed: name=value pairs, comma-separated.
  if (typeof value === 'object' && value !== null) return Object.entries(value).map(([k, v]) => `${k}=${String(v)}`).join(',');
  return String(value);
}

const isMenu = (row: AnyOptionDefinition) => row.kind === 'string' && row.choices !== undefined && row.choices.length <= menuLimit;

/** The rows an interactive run may ask, in the order asked: the target first, since it decides which others apply. */
export function askedRows(table: readonly AnyOptionDefinition[] = optionTable): AnyOptionDefinition[] {
  const asked = table.filter((row) => row.prompt !== undefined);
  return [...asked.filter((row) => row.key === 'target'), ...asked.filter((row) => row.key !== 'target')];
}

/** A menu entry per choice: its name, then its description, the descriptions in one column. */
function menuChoices(row: AnyOptionDefinition): NonNullable<Question['choices']> {
  const choices = row.choices ?? [];
  const width = Math.max(...choices.map((choice) => choice.length));
  return choices.map((choice) => {
    const description = row.choiceDescriptions?.[choice];
    return { value: choice, name: description ? `${choice.padEnd(width)}  ${description}` : choice, short: choice };
  });
}

/**
 * A question for each row that has a prompt and that no flag answered, the target first; defaults, validation and
 * menus are the row's own. Rows of some targets only are asked when the target (from its flag, the answer, or its
 * default) is one of them. `table` is the option table; tests pass one of their own.
 */
export function questionsFor(flags: RawOptions, context: DefaultContext, table: readonly AnyOptionDefinition[] = optionTable): Question[] {
  const targetRow = table.find((row) => row.key === 'target');
  const chosen = (answers: RawOptions) => ({ ...flags, ...answers }) as Partial<PipelineOptions>;
  const targetOf = (answers: RawOptions) => (answers.target ?? flags.target ?? targetRow?.default?.(context, chosen(answers))) as Target;
  return askedRows(table)
    .filter((row) => flags[row.key] === undefined)
    .map((row): Question => {
      // A default that its own row refuses (a directory named `My_Service`) is no answer to offer.
      const fallback = (answers: RawOptions) => {
        const value = row.default?.(context, chosen(answers));
        return value !== undefined && checkOption(row, value) === true ? asAnswer(value) : undefined;
      };
      const when = row.targets ? { when: (answers: RawOptions) => isAskedFor(row, targetOf(answers)) } : {};
      const common = { name: row.key, message: row.prompt!, default: fallback, ...when };
      if (row.kind === 'boolean') return { type: 'confirm', ...common };
      if (isMenu(row)) return { type: 'select', ...common, choices: menuChoices(row) };
      return {
        type: 'input',
        ...common,
        validate: (answer) => {
          const verdict = checkOption(row, answerValue(row, answer));
          return verdict === true ? true : describeForPrompt(verdict);
        },
        filter: (answer) => answerValue(row, answer),
      };
    });
}

/** The name a row's value goes by in the summary: its prompt up to the first comma or parenthesis. */
const labelOf = (row: AnyOptionDefinition) => row.prompt!.split(/[,(]/)[0]!.trim();

function shown(value: unknown): string {
  // An empty list is an answer too (eks: no public API ranges): say so rather than leave the line blank.
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.join(', ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** What an interactive run is about to write, one aligned line per value it could have asked for. */
export function summaryLines(options: ResolvedOptions, table: readonly AnyOptionDefinition[] = optionTable): string[] {
  const values = options as unknown as Record<string, unknown>;
  const rows = askedRows(table).filter((row) => isAskedFor(row, options.target) && values[row.key] !== undefined);
  const width = Math.max(...rows.map((row) => labelOf(row).length));
  return rows.map((row) => `  ${labelOf(row).padEnd(width)}  ${shown(values[row.key])}`);
}
