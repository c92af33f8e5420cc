/** Replaces every occurrence of the secret, so a token that reached a message by accident is still not shown. */
export function redact(text: string, secret: string): string {
  return secret.length > 0 ? text.split(secret).join('***') : text;
}

/** The same output functions, with the secret masked in every line. */
export function redactOutput<T extends { readonly out: (line: string) => void; readonly err: (line: string) => void }>(io: T, secret: string): T {
  return { ...io, out: (line: string) => io.out(redact(line, secret)), err: (line: string) => io.err(redact(line, secret)) };
}

/** An error whose message and stack carry the secret masked; the original is not rethrown. */
export function redactError(error: unknown, secret: string): unknown {
  if (!(error instanceof Error) || !secret) return error;
  if (!error.message.includes(secret) && !(error.stack ?? '').includes(secret)) return error;
  const clean = new Error(redact(error.message, secret));
  clean.name = error.name;
  clean.stack = redact(error.stack ?? '', secret);
  return clean;
}
