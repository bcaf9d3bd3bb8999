// One record as one line of the log file, and back. Every line carries a CRC-32 of itself (a
// last `crc` field over the line without it), so a changed byte anywhere makes the line
// unreadable, like a torn one, instead of a different record (a changed id re-running a finished
// action). Lines without the field, written before records had one, are read as before; the next
// compaction rewrites them with it.
import { crc32 } from 'node:zlib';
import { logRecord, type LogRecord } from './records.js';

/** Longer lines are skipped unread: a record is at most a capped alert, and an old 1 MiB one. */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;

/** CRC-32 of a line's text (UTF-8), as 8 hex digits. */
const crcOf = (text: string): string => crc32(text).toString(16).padStart(8, '0');
/** The checksum field, the last CRC_TAIL_LENGTH characters of a line that has one. */
const CRC_TAIL = /^,"crc":"([0-9a-f]{8})"\}$/;
const CRC_TAIL_LENGTH = ',"crc":"00000000"}'.length;

/** A record as one log line (without its newline), its checksum as the last field. */
export function encodeRecord(r: LogRecord): string {
  const json = JSON.stringify(r);
  return `${json.slice(0, -1)},"crc":"${crcOf(json)}"}`;
}

export type ParsedLine =
  /** `checksummed`: false for a line written before records carried a checksum. */
  | { record: LogRecord; checksummed: boolean }
  /** `ids`: event ids still legible in the line; `recovered`: a whole record found glued behind a torn one. */
  | { problem: string; ids: string[]; recovered?: LogRecord };

const ID_RE = /"id":"([^"\\]{1,128})"/g;
const RECORD_START = '{"t":"';

function asRecord(text: string): { record: LogRecord; checksummed: boolean } | { problem: string } {
  // Only the end is matched: a regular expression anchored at the end still tries every start
  // position, milliseconds on a 1 MiB line.
  const tail = CRC_TAIL.exec(text.slice(-CRC_TAIL_LENGTH));
  const body = tail ? `${text.slice(0, -CRC_TAIL_LENGTH)}}` : text;
  if (tail && crcOf(body) !== tail[1]) return { problem: `checksum mismatch (the line changed after it was written)` };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { problem: 'not JSON' };
  }
  // A `crc` field that is not the well-formed last one: the checksum itself is damaged.
  if (!tail && typeof json === 'object' && json !== null && 'crc' in json) return { problem: 'damaged checksum' };
  const parsed = logRecord.safeParse(json);
  if (parsed.success) return { record: parsed.data, checksummed: tail !== null };
  const issue = parsed.error.issues[0]!;
  return { problem: `not a log record (${issue.path.map(String).join('.') || 'record'}: ${issue.message})` };
}

export function parseLine(bytes: Buffer | undefined): ParsedLine {
  if (bytes === undefined) return { problem: `longer than ${MAX_LINE_BYTES} bytes`, ids: [] };
  const text = bytes.toString('utf8');
  const whole = asRecord(text);
  if ('record' in whole) return whole;
  // A torn write followed by a whole record on the same line (logs written before appends were
  // all-or-nothing): the record behind the tear is intact and was acknowledged.
  let torn = text;
  let recovered: LogRecord | undefined;
  for (let i = text.indexOf(RECORD_START, 1); i > 0; i = text.indexOf(RECORD_START, i + 1)) {
    const tail = asRecord(text.slice(i));
    if ('record' in tail) {
      recovered = tail.record;
      torn = text.slice(0, i);
      break;
    }
  }
  const ids = [...new Set([...torn.matchAll(ID_RE)].map((m) => m[1]!))];
  return {
    problem: recovered ? `torn record before a whole one (${whole.problem})` : whole.problem,
    ids,
    ...(recovered ? { recovered } : {}),
  };
}
