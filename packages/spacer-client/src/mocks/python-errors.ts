/**
 * Exceptions as spacer raises them, and `error_message` texts shaped like `traceback.format_exc()` output: Python's
 * last line is `<type>: <str(exception)>`, where types outside builtins are module-qualified
 * (`spacer.exceptions.DataLimitError`).
 */
export class PythonException extends Error {
  /** An exception of this Python type with this `str()`. */
  constructor(
    /** `KeyError`, `spacer.exceptions.RowColumnInvalidError`, ... */
    readonly pythonType: string,
    /** `str(exception)` */
    readonly text: string,
  ) {
    super(text);
    this.name = pythonType.split('.').at(-1) ?? pythonType;
  }
}

const SPACER = 'spacer.exceptions.';
/** The exceptions spacer raises, by name, each made from its `str()` text. */
export const spacerError = {
  /** `spacer.exceptions.DataLimitError`. */
  dataLimit: (text: string) => new PythonException(`${SPACER}DataLimitError`, text),
  /** `spacer.exceptions.RowColumnInvalidError`. */
  rowColumnInvalid: (text: string) => new PythonException(`${SPACER}RowColumnInvalidError`, text),
  /** `spacer.exceptions.RowColumnMismatchError`. */
  rowColumnMismatch: (text: string) => new PythonException(`${SPACER}RowColumnMismatchError`, text),
  /** `spacer.exceptions.RowColumnMissingError`. */
  rowColumnMissing: (text: string) => new PythonException(`${SPACER}RowColumnMissingError`, text),
  /** `spacer.exceptions.TrainingLabelsError`. */
  trainingLabels: (text: string) => new PythonException(`${SPACER}TrainingLabelsError`, text),
  /** `spacer.exceptions.HashMismatchError`. */
  hashMismatch: (text: string) => new PythonException(`${SPACER}HashMismatchError`, text),
  /** `spacer.exceptions.ConfigError`. */
  config: (text: string) => new PythonException(`${SPACER}ConfigError`, text),
  /** `spacer.exceptions.URLDownloadError`. */
  urlDownload: (text: string) => new PythonException(`${SPACER}URLDownloadError`, text),
  /** `KeyError('k')` prints as `'k'`. */
  keyError: (key: string) => new PythonException('KeyError', pythonRepr(key)),
  /** `FileNotFoundError` for a path, worded as Python words it. */
  fileNotFound: (path: string) =>
    new PythonException('FileNotFoundError', `[Errno 2] No such file or directory: ${pythonRepr(path)}`),
  /** A builtin `ValueError`. */
  valueError: (text: string) => new PythonException('ValueError', text),
};

/** Python's `repr(str)`: single quotes unless the text has a single quote and no double quote. */
export function pythonRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const body = text
    .replaceAll('\\', '\\\\')
    .replaceAll('\n', '\\n')
    .replaceAll('\r', '\\r')
    .replaceAll('\t', '\\t')
    .replaceAll(quote, `\\${quote}`);
  return `${quote}${body}${quote}`;
}

const TASK_LINES: Record<string, [number, string]> = {
  extract_features: [29, 'check_extract_inputs(img, msg.rowcols, msg.image_loc.key)'],
  train_classifier: [90, 'clf, val_results, return_message = trainer('],
  classify_features: [111, 'features = ImageFeatures.load(msg.feature_loc)'],
  classify_image: [134, 'check_extract_inputs(img, msg.rowcols, msg.image_loc.key)'],
};

/** A `traceback.format_exc()`-shaped text for an exception raised by a task inside `process_job`. */
export function formatTraceback(taskName: string, error: unknown): string {
  const exception =
    error instanceof PythonException
      ? error
      : new PythonException('RuntimeError', error instanceof Error ? error.message : String(error));
  const [line, code] = TASK_LINES[taskName] ?? [1, 'pass'];
  const last = exception.text === '' ? exception.pythonType : `${exception.pythonType}: ${exception.text}`;
  return [
    'Traceback (most recent call last):',
    '  File "/usr/local/lib/python3.10/site-packages/spacer/tasks.py", line 165, in process_job',
    '    results.append(run[job_msg.task_name](task))',
    `  File "/usr/local/lib/python3.10/site-packages/spacer/tasks.py", line ${line}, in ${taskName}`,
    `    ${code}`,
    last,
    '',
  ].join('\n');
}
