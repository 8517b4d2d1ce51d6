/** Reading spacer's `error_message` (a Python traceback, or the mailman's `Error deserializing message: ...`). */

/** The type and text of the exception in a spacer `error_message` (its last non-empty line). */
export function parseErrorMessage(errorMessage: string): { type: string; message: string } {
  const last = errorMessage.trimEnd().split('\n').at(-1) ?? '';
  const match = /^([A-Za-z_][\w.]*)(?:: (.*))?$/.exec(last);
  return match ? { type: match[1] as string, message: match[2] ?? '' } : { type: '', message: last };
}
