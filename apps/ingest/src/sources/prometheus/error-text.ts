/**
 * A readable reason from anything thrown, with its cause: fetch reports network failures as "fetch failed" and puts
 * the real reason (ECONNREFUSED, ...) in `cause`. Duck-typed, because undici's errors may come from another realm (a
 * test sandbox), where `instanceof Error` is false.
 */
export function errorText(err: unknown): string {
  const message = messageOf(err);
  const cause = typeof err === 'object' && err !== null && 'cause' in err ? err.cause : undefined;
  return cause === undefined ? message : `${message}: ${messageOf(cause)}`;
}

function messageOf(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'message' in err && typeof err.message === 'string') return err.message;
  return String(err);
}
