/**
 * How results are printed: tables (cli-table3) fitted to the terminal's width, tab-separated rows with
 * `-m/--machine-readable`, or JSON with `--json`. Results go to stdout; progress, spinners and errors to stderr, so
 * `nu datasets list --json | jq` and `nu items list ds_1 -m | cut -f1` stay clean.
 */
import Table from 'cli-table3';

export type Cell = string | number | boolean | null | undefined;

/** The narrowest a column is squeezed to before the table is allowed to overflow. */
const MIN_COLUMN = 8;
/** What a column costs besides its text: one space of padding each side and a border. */
const COLUMN_OVERHEAD = 3;

function cellText(cell: Cell): string {
  return cell === null || cell === undefined ? '' : String(cell);
}

/**
 * Column widths (text only, without padding) that fit `width` terminal columns: when the natural widths do not
 * fit, the widest columns give up space first, none below {@link MIN_COLUMN}.
 */
export function fitColumnWidths(natural: readonly number[], width: number): number[] {
  const budget = width - 1 - natural.length * COLUMN_OVERHEAD;
  const widths = [...natural];
  let total = widths.reduce((a, b) => a + b, 0);
  while (total > budget) {
    let widest = 0;
    for (let i = 1; i < widths.length; i++) if (widths[i]! > widths[widest]!) widest = i;
    if (widths[widest]! <= MIN_COLUMN) break;
    widths[widest]! -= 1;
    total -= 1;
  }
  return widths;
}

/** A boxed table; with `width`, long cells wrap so that it fits. */
export function renderTable(head: readonly string[], rows: readonly Cell[][], width?: number): string {
  const text = rows.map((r) => head.map((_, i) => cellText(r[i])));
  const options: ConstructorParameters<typeof Table>[0] = {
    head: [...head],
    style: { head: [], border: [] },
  };
  if (width && width > 0) {
    const natural = head.map((h, i) =>
      Math.max(h.length, ...text.map((r) => Math.max(...r[i]!.split('\n').map((l) => l.length)))),
    );
    const fitted = fitColumnWidths(natural, width);
    if (fitted.some((w, i) => w < natural[i]!)) {
      options.colWidths = fitted.map((w) => w + 2);
      options.wordWrap = true;
      options.wrapOnWordBoundary = false;
    }
  }
  const table = new Table(options);
  table.push(...text);
  return `${table.toString()}\n`;
}

/** One line per row, cells separated by tabs (tabs and newlines inside a cell become spaces). */
export function renderMachineReadable(rows: readonly Cell[][]): string {
  return rows.map((r) => `${r.map((c) => cellText(c).replace(/[\t\r\n]+/g, ' ')).join('\t')}\n`).join('');
}

/** JSON as the API gave it, two-space indented. */
export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`;
}
