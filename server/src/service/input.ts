/**
 * Guards between raw bytes and the analysers: huge, binary and non-UTF-8
 * input is refused with one clear message instead of being parsed.
 */

/** Largest source the tools analyse; real VCL is far below this. */
export const MAX_SOURCE_BYTES = 10 * 1024 * 1024;

export type DecodedSource = { ok: true; text: string } | { ok: false; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Decodes file bytes as UTF-8 text, or says why the file is not analysed. */
export function decodeSource(bytes: Uint8Array): DecodedSource {
  if (bytes.length > MAX_SOURCE_BYTES) {
    return { ok: false, reason: `file is too large to analyse (${formatSize(bytes.length)}; the limit is ${formatSize(MAX_SOURCE_BYTES)})` };
  }
  // A NUL byte never occurs in VCL or in a parameter file; it marks binary data.
  const probe = bytes.subarray(0, Math.min(bytes.length, 8192));
  if (probe.includes(0)) return { ok: false, reason: 'file looks binary (it contains NUL bytes), not VCL text' };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, reason: 'file is not valid UTF-8 text' };
  }
  return checkText(text);
}

/** Applies the same limits to text that arrives already decoded (from an editor). */
export function checkText(text: string): DecodedSource {
  if (text.length > MAX_SOURCE_BYTES) {
    return { ok: false, reason: `document is too large to analyse (${formatSize(text.length)} characters; the limit is ${formatSize(MAX_SOURCE_BYTES)})` };
  }
  if (text.includes('\u0000')) return { ok: false, reason: 'document looks binary (it contains NUL characters), not VCL text' };
  return { ok: true, text };
}

function formatSize(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}
