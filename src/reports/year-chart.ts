/**
 * A horizontal bar chart drawn as plain SVG shapes: two bars a line (the year and the
 * year before), each with its number written beside it, so it reads printed in black
 * and white and without the colours. The view draws what this computes.
 */
export interface ChartLine {
  label: string;
  now: number | null;
  before: number | null;
}

export interface BarChart {
  width: number;
  height: number;
  labelWidth: number;
  lines: {
    label: string;
    labelY: number;
    now: { y: number; width: number; text: string; textX: number };
    before: { y: number; width: number; text: string; textX: number };
  }[];
  barHeight: number;
}

const WIDTH = 680;
const LABEL_WIDTH = 300;
const BAR_AREA = 300;
const BAR = 14;
const LINE = 44;
const TOP = 8;

const shown = (value: number | null) => (value === null ? '–' : String(value));

export function barChart(lines: ChartLine[]): BarChart {
  const max = Math.max(1, ...lines.flatMap((l) => [l.now ?? 0, l.before ?? 0]));
  const bar = (value: number | null, y: number) => {
    const width = value === null ? 0 : Math.round((value / max) * BAR_AREA);
    return { y, width, text: shown(value), textX: LABEL_WIDTH + width + 6 };
  };
  return {
    width: WIDTH,
    height: TOP + lines.length * LINE,
    labelWidth: LABEL_WIDTH,
    barHeight: BAR,
    lines: lines.map((line, i) => {
      const y = TOP + i * LINE;
      return {
        label: line.label,
        labelY: y + BAR + 5,
        now: bar(line.now, y),
        before: bar(line.before, y + BAR + 2),
      };
    }),
  };
}
