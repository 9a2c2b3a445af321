// Where the quickstart writes: permanent lines, plus (on a terminal) one live line that is
// redrawn in place while a step runs. Off a terminal the live line is dropped, so logs stay clean.

export interface Output {
  /** A line that stays. */
  log(line: string): void;
  /** The live line (null clears it); a no-op where the output is not a terminal. */
  live(text: string | null): void;
}

/** Lines only: what tests and pipes get. */
export function linesOutput(log: (line: string) => void): Output {
  return { log, live: () => undefined };
}

/** A terminal: the live line sits below the last permanent line and is cleared before each new one. */
export function terminalOutput(stream: NodeJS.WriteStream = process.stdout): Output {
  if (!stream.isTTY) return linesOutput((line) => stream.write(`${line}\n`));
  let shown = false;
  const clear = () => {
    if (shown) stream.write('\r\x1b[2K');
    shown = false;
  };
  return {
    log(line) {
      clear();
      stream.write(`${line}\n`);
    },
    live(text) {
      clear();
      if (text === null) return;
      // One physical line only, or \r cannot take it back (some ptys report 0 columns).
      stream.write(text.slice(0, (stream.columns || 80) - 1));
      shown = true;
    },
  };
}
