// Everything the CLI prints goes through an Output, so tests can capture it and commands never touch process.*.
export interface Output {
  /** One line on stdout (a newline is added). */
  out(line: string): void;
  /** One line on stderr (a newline is added). */
  err(line: string): void;
  /** Raw text on stdout, for in-place redraws. */
  write(text: string): void;
  /** Whether stdout is a terminal (redraw in place) or a pipe/file (append lines). */
  readonly isTTY: boolean;
  /** The terminal's width, when known: a longer line takes more than one row. */
  readonly columns?: number;
}

export const stdio: Output = {
  out: (line) => { process.stdout.write(`${line}\n`); },
  err: (line) => { process.stderr.write(`${line}\n`); },
  write: (text) => { process.stdout.write(text); },
  get isTTY() { return process.stdout.isTTY === true; },
  get columns() { return process.stdout.columns; },
};

export interface CapturedOutput extends Output {
  readonly stdout: string[];
  readonly stderr: string[];
}

/** An Output that records lines instead of printing them (for tests). */
export function captureOutput(isTTY = false): CapturedOutput {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout, stderr, isTTY,
    out: (line) => { stdout.push(line); },
    err: (line) => { stderr.push(line); },
    write: (text) => { stdout.push(text); },
  };
}
