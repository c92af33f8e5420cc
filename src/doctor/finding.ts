/** One problem doctor reports: where it is (a file, and a job when it is about one) and what to do about it. */
export interface Finding {
  readonly file: string;
  readonly job?: string;
  readonly message: string;
}

/** What doctor says when it found nothing; with accounts it checked the account of every role too. */
export function noFindingsLine(withAccounts: boolean): string {
  return `No findings: every job that assumes a role presents a subject that role trusts${withAccounts ? ', in the account its environment lives in' : ''}.`;
}
