/** One problem doctor reports: where it is (a file, and a job when it is about one) and what to do about it. */
export interface Finding {
  readonly file: string;
  readonly job?: string;
  readonly message: string;
}
