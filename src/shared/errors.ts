// One error class with a string code; callers check `code`, never instanceof
// (errors crossing a worker boundary lose their class).

export class PrnrError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'PrnrError';
  }
}

/** True for anything carrying a PrnrError-style code, including errors rebuilt after a worker hop. */
export function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    return (err as { code: string }).code;
  }
  return undefined;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
