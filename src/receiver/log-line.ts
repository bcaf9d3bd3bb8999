// The receiver's log is read line by line, and alert fields (fingerprints, labels) reach it:
// a value holding a newline could forge a line such as "stopped". Every line is written as one
// line, its control characters escaped the way JSON escapes them.

const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/g;

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with its control characters (newlines included) escaped, so it stays one line. */
export function oneLine(text: string): string {
  return text.replace(CONTROL, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Writes `sloforge receiver: LINE` to stderr, as one line. */
export const stderrLog = (line: string): void => {
  process.stderr.write(`sloforge receiver: ${oneLine(line)}\n`);
};
