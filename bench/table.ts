// Plain-text tables for the terminal and Markdown tables for the README, from the same rows.

export type Cell = string | number;

function cellText(c: Cell): string {
  return typeof c === 'number' ? c.toLocaleString('en-US', { maximumFractionDigits: 3 }) : c;
}

/** Columns padded to width; numbers right-aligned. */
export function textTable(header: string[], rows: Cell[][]): string {
  const cells = [header, ...rows.map((r) => r.map(cellText))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  const line = (r: string[]) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function markdownTable(header: string[], rows: Cell[][]): string {
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (numeric[i] ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cellText).join(' | ')} |`),
  ].join('\n');
}
