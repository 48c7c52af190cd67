/**
 * The progress line of a long download on a terminal (stderr): a bar when the total is known,
 * rows and bytes so far, and the rate. Redrawn in place with `\r`, at most every REDRAW_MS.
 */
const REDRAW_MS = 100;
const BAR = 24;

export interface Progress {
  rows: number | undefined;
  /** Rows expected (the server's first-pass count); undefined when unknown. */
  expectedRows: number | undefined;
  bytes: number;
  elapsedMs: number;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** One progress line (pure). */
export function progressLine(p: Progress): string {
  const parts: string[] = [];
  if (p.rows !== undefined && p.expectedRows !== undefined && p.expectedRows > 0) {
    const share = Math.min(1, p.rows / p.expectedRows);
    const filled = Math.round(share * BAR);
    parts.push(`[${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${Math.floor(share * 100)}%`);
  }
  if (p.rows !== undefined)
    parts.push(
      `${p.rows.toLocaleString('en')}${p.expectedRows === undefined ? '' : `/${p.expectedRows.toLocaleString('en')}`} rows`,
    );
  parts.push(size(p.bytes));
  if (p.elapsedMs > 0 && p.rows !== undefined)
    parts.push(`${Math.round((p.rows * 1000) / p.elapsedMs).toLocaleString('en')} rows/s`);
  return parts.join('  ');
}

/** Draws progress lines on a terminal; does nothing when `out` is not one. */
export class ProgressBar {
  private lastDraw = -Infinity;
  private readonly started = Date.now();

  constructor(private readonly out: { write(text: string): unknown; isTTY?: boolean }) {}

  update(p: Omit<Progress, 'elapsedMs'>, final = false): void {
    if (this.out.isTTY !== true) return;
    const now = Date.now();
    if (!final && now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    this.out.write(`\r${progressLine({ ...p, elapsedMs: now - this.started })}\u001b[K${final ? '\n' : ''}`);
  }
}
