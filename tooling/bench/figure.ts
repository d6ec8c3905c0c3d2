/**
 * The one line every benchmark prints per figure, so `pnpm bench` can gather them into a report:
 *   BENCH_RESULT {"figure":"…","value":123,"unit":"req/s","target":"≥ 2000","met":true}
 * Benchmarks still print their own human-readable tables; this line is for the collector.
 */
export interface Figure {
  figure: string;
  value: number | string;
  unit: string;
  /** Human-readable target, e.g. "≥ 2,000" or "< 500 ms"; omitted when a figure has none. */
  target?: string;
  met?: boolean;
}

export const FIGURE_PREFIX = "BENCH_RESULT ";

export function reportFigure(figure: Figure): void {
  process.stdout.write(`${FIGURE_PREFIX}${JSON.stringify(figure)}\n`);
}

export function parseFigures(output: string): Figure[] {
  return output
    .split("\n")
    .filter((line) => line.startsWith(FIGURE_PREFIX))
    .map((line) => JSON.parse(line.slice(FIGURE_PREFIX.length)) as Figure);
}
