/** The person answered no to the confirmation before writing: nothing was written (exit code 1). */
export class Declined extends Error {
  constructor() {
    super('declined at the confirmation');
    this.name = 'Declined';
  }
}
