/**
 * File names and messages as a terminal or a CI log shows them. A name is
 * any bytes but `/` and NUL: printed raw, `\e[2J` clears the screen and a
 * right-to-left override reorders what follows, so a file could print a
 * fake "all clean". Every human output goes through `escapeControls`;
 * names that are not UTF-8 are shown with their odd bytes as `\xNN`.
 */

/** C0 controls (tab and newline too: one message, one line), DEL, C1 controls, and the bidirectional overrides and isolates. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every character that steers a terminal written as `\xNN` or `\uNNNN`. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** The same characters, escaped the JSON way; a JSON text keeps its value and no longer steers a terminal. */
export function escapeJsonControls(json: string): string {
  // JSON.stringify already escapes C0; what is left can only stand inside strings, where \uNNNN means the same.
  // Looked for first: a report has none as a rule, and `replace` copied the whole text (16 MB for 10,000 files) all the same.
  if (!JSON_UNSAFE.test(json)) return json;
  return json.replace(JSON_UNSAFE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const JSON_UNSAFE = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const JSON_UNSAFE_ALL = new RegExp(JSON_UNSAFE.source, 'g');

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A file name read from a directory as bytes: its text when it is UTF-8,
 * else a readable stand-in with each byte that is not part of a UTF-8
 * character shown as `\xNN` (the bytes themselves are kept for I/O).
 */
export function decodeName(bytes: Buffer): { text: string; utf8: boolean } {
  try {
    return { text: utf8.decode(bytes), utf8: true };
  } catch {
    let out = '';
    let i = 0;
    while (i < bytes.length) {
      const len = utf8Length(bytes, i);
      if (len > 0) {
        out += bytes.subarray(i, i + len).toString('utf8');
        i += len;
      } else {
        out += `\\x${bytes[i]!.toString(16).padStart(2, '0')}`;
        i++;
      }
    }
    return { text: out, utf8: false };
  }
}

/** Length of the well-formed UTF-8 character at `i`, or 0. */
function utf8Length(b: Buffer, i: number): number {
  const c = b[i]!;
  const len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (len <= 1 || i + len > b.length) return len === 1 ? 1 : 0;
  try {
    utf8.decode(b.subarray(i, i + len));
    return len;
  } catch {
    return 0;
  }
}
