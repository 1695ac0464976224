import type { Output } from '../output.js';
import { lineText, type ProgressLine } from './render.js';

/**
 * Shows successive sets of progress lines: on a terminal by redrawing them in place (ANSI cursor moves), elsewhere
 * by printing a line only when its text changed, so logs of a pipe stay short.
 */
export class ProgressDisplay {
  private drawn = 0;
  private lastFrame = '';
  private readonly last = new Map<string, string>();

  constructor(private readonly out: Output) {}

  show(lines: readonly ProgressLine[]): void {
    if (this.out.isTTY) {
      const texts = lines.map(lineText);
      const frame = texts.map((t) => `\x1b[2K${t}\n`).join('');
      if (frame === this.lastFrame) return; // nothing changed: no flicker
      this.out.write(`${this.drawn ? `\x1b[${this.drawn}A` : ''}${frame}\x1b[J`);
      this.lastFrame = frame;
      // A line wider than the terminal wraps onto more rows, which the next redraw must move up over too.
      const cols = this.out.columns;
      this.drawn = texts.reduce((rows, t) => rows + (cols && cols > 0 ? Math.max(1, Math.ceil([...t].length / cols)) : 1), 0);
      return;
    }
    for (const l of lines) {
      if (this.last.get(l.id) === l.text) continue;
      this.last.set(l.id, l.text);
      this.out.out(lineText(l));
    }
  }
}
