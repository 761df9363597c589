/**
 * Small text helpers shared by the HTML and terminal reports. Everything that came from a log line is
 * attacker-controlled: HTML output goes through {@link escapeHtml}, terminal output through {@link cleanText}.
 *
 * @module
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for HTML element content and quoted attribute values (also SVG text). */
export function escapeHtml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return cleanControl(text).replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Replaces with `?`: C0/C1 control characters (incl. ESC, so no terminal escape sequences), line and paragraph
 * separators, lone surrogates, and the invisible characters that make text display differently from what it is —
 * bidirectional overrides and isolates ("Trojan Source": `admin\u202egnp.exe` shows as `adminexe.png`), marks and
 * zero-width characters.
 */
export function cleanControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '?');
}

/** Text safe for a terminal: control characters replaced and cut to `max` characters with an ellipsis. */
export function cleanText(text: string, max = Infinity): string {
  return truncate(cleanControl(text), max);
}

/** Cuts `text` to at most `max` characters (code units), ending with `…` when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return text.slice(0, Math.max(0, max));
  return `${text.slice(0, max - 1)}…`;
}

/** Formats an epoch-ms time as `YYYY-MM-DD HH:MM` (or with seconds) in a time zone (default UTC). */
export function formatTime(ms: number | null, timeZone = 'UTC', seconds = false): string {
  if (ms === null || !Number.isFinite(ms)) return '-';
  const d = new Date(ms);
  if (timeZone === 'UTC') {
    const iso = d.toISOString();
    return `${iso.slice(0, 10)} ${iso.slice(11, seconds ? 19 : 16)}`;
  }
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: seconds ? '2-digit' : undefined,
    hourCycle: 'h23',
  }).formatToParts(d);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}${seconds ? `:${get('second')}` : ''}`;
}

/** A compact number: 1234 → `1,234`; 1234567 → `1.23M`. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 10_000_000) return `${(n / 1e6).toFixed(1)}M`;
  if (Math.abs(n) >= 1_000_000) return `${(n / 1e6).toFixed(2)}M`;
  return Math.round(n).toLocaleString('en-US');
}

/** A score with 3 significant digits (scientific for very small/large values). */
export function formatScore(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e4 || a < 1e-3) return x.toExponential(2);
  return x.toPrecision(3);
}

/** Human duration between two epoch-ms times: `3 days`, `5 hours`, `12 minutes`. */
export function formatSpan(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes < 120) return `${Math.max(0, Math.round(minutes))} minutes`;
  const hours = minutes / 60;
  if (hours < 72) return `${Math.round(hours)} hours`;
  return `${Math.round(hours / 24)} days`;
}

/** `1 event` / `2 events`. */
export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${formatCount(n)} ${n === 1 ? word : pluralWord}`;
}

/** One-line description of who/where an event is: `alice@db-07 from 203.0.113.5`. Raw (unescaped) text. */
export function describeEventParties(e: {
  userName: string | null;
  userEffectiveName: string | null;
  hostName: string | null;
  sourceIp: string | null;
}): string {
  const user = e.userName ?? '(no user)';
  const target = e.userEffectiveName ? `→${e.userEffectiveName}` : '';
  const host = e.hostName ?? '(no host)';
  const from = e.sourceIp ? ` from ${e.sourceIp}` : '';
  return `${user}${target}@${host}${from}`;
}

/** `text` in lines of at most `width` characters, broken at spaces; continuation lines start with `indent`. */
export function wrapWords(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (candidate.length <= width || line === '') line = candidate;
    else {
      lines.push(line);
      line = indent + word;
    }
  }
  if (line !== '') lines.push(line);
  return lines.map((l) => truncate(l, width));
}
