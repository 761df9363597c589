/**
 * Input path expansion: plain paths pass through, glob patterns (`*`, `?`, `[abc]`, `[a-z]`, `[!abc]`, `{a,b}`,
 * `**`) are expanded with `fs.readdir` (Node 20 has no `fs.glob`). No dependencies, no shell.
 *
 * @module
 */
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { InputError } from '../cli/command.js';

/** Most patterns one brace expression may expand to (`{a,b}{c,d}` is 4); more is an error, not a slow walk. */
export const MAX_BRACE_EXPANSION = 1024;

/** True when `pattern` contains a glob metacharacter (`*`, `?`, `[` or `{`). */
export function hasGlob(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?') || pattern.includes('[') || pattern.includes('{');
}

/**
 * Expands shell-style braces: `auth.log{,.1}` → `auth.log`, `auth.log.1`; `{web,db}-0{1,2}` → 4 patterns; nested
 * braces work. A brace pair without a top-level comma (`{x}`) or an unclosed `{` stays literal.
 *
 * @throws InputError when the expansion exceeds {@link MAX_BRACE_EXPANSION} patterns.
 */
export function expandBraces(pattern: string): string[] {
  let out: string[] = [pattern];
  for (let round = 0; ; round++) {
    const next: string[] = [];
    let changed = false;
    for (const p of out) {
      const b = firstBrace(p);
      if (b === null) {
        next.push(p);
        continue;
      }
      changed = true;
      for (const alt of b.alternatives) next.push(p.slice(0, b.start) + alt + p.slice(b.end + 1));
      if (next.length > MAX_BRACE_EXPANSION) {
        throw new InputError(`${pattern}: braces expand to more than ${MAX_BRACE_EXPANSION} patterns`);
      }
    }
    out = next;
    if (!changed) return [...new Set(out)];
  }
}

/** The first `{...}` with a top-level comma: its bounds and alternatives; null when there is none. */
function firstBrace(p: string): { start: number; end: number; alternatives: string[] } | null {
  for (let start = p.indexOf('{'); start >= 0; start = p.indexOf('{', start + 1)) {
    let depth = 0;
    const commas: number[] = [];
    for (let i = start; i < p.length; i++) {
      const c = p[i];
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (depth === 0) {
          if (commas.length === 0) break; // `{x}`: literal, look for a later brace
          const alternatives: string[] = [];
          let from = start + 1;
          for (const k of commas) {
            alternatives.push(p.slice(from, k));
            from = k + 1;
          }
          alternatives.push(p.slice(from, i));
          return { start, end: i, alternatives };
        }
      } else if (c === ',' && depth === 1) commas.push(i);
    }
  }
  return null;
}

/**
 * Compiles one path segment pattern (`*.log`, `auth.log.?`, `auth.log.[0-9]`) into a RegExp that matches a whole
 * file name. `*` matches any run of characters except `/`, `?` exactly one, `[...]` one character of a class
 * (`[!...]` or `[^...]` negated; an unclosed `[` is literal). A leading `.` in a name is only matched by a pattern
 * that itself starts with `.` (shell convention: `*` does not pick up hidden files).
 */
export function segmentMatcher(segment: string): (name: string) => boolean {
  let source = '^';
  const chars = [...segment];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else if (ch === '[' && chars.indexOf(']', i + 2) > 0) {
      // a class: `]` right after `[` or `[!` is a member, as in the shell
      let j = i + 1;
      let negate = false;
      if (chars[j] === '!' || chars[j] === '^') {
        negate = true;
        j++;
      }
      const close = chars.indexOf(']', j + 1);
      if (close < 0) {
        source += '\\[';
        continue;
      }
      const members = chars.slice(j, close).map((c) => (c === '-' ? '-' : c.replace(/[\\\]^[]/g, '\\$&'))).join('');
      source += negate ? `[^/${members}]` : `[${members}]`;
      i = close;
    } else source += ch.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
  }
  source += '$';
  let re: RegExp;
  try {
    re = new RegExp(source, 'su');
  } catch {
    // a class the RegExp engine rejects (a reversed range such as [z-a]) matches nothing
    return () => false;
  }
  const dotOk = segment.startsWith('.');
  return (name: string) => (dotOk || !name.startsWith('.')) && re.test(name);
}

/** Splits a pattern into its literal base directory and the remaining glob segments. */
function splitPattern(pattern: string, cwd: string): { base: string; segments: string[] } {
  const normalized = sep === '\\' ? pattern.replace(/\\/g, '/') : pattern;
  const absolute = isAbsolute(normalized);
  const parts = normalized.split('/');
  const literal: string[] = [];
  let i = 0;
  for (; i < parts.length; i++) {
    if (hasGlob(parts[i])) break;
    literal.push(parts[i]);
  }
  const baseRel = literal.join('/');
  const base = absolute ? baseRel || '/' : resolve(cwd, baseRel || '.');
  return { base, segments: parts.slice(i).filter((p) => p !== '') };
}

async function listDir(dir: string): Promise<{ name: string; dir: boolean; file: boolean }[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    const out: { name: string; dir: boolean; file: boolean }[] = [];
    for (const e of entries) {
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const s = await stat(join(dir, e.name));
          isDir = s.isDirectory();
          isFile = s.isFile();
        } catch {
          continue; // dangling link
        }
      }
      out.push({ name: e.name, dir: isDir, file: isFile });
    }
    out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return out;
  } catch {
    return [];
  }
}

/** Adds `p` to `out` when it is a regular file not added yet. */
async function addIfFile(p: string, out: string[], seen: Set<string>): Promise<void> {
  if (!seen.has(p) && (await isFile(p))) {
    seen.add(p);
    out.push(p);
  }
}

async function walk(dir: string, segments: readonly string[], out: string[], seen: Set<string>): Promise<void> {
  if (segments.length === 0) return;
  const [head, ...rest] = segments;
  if (head === '**') {
    // zero directories
    if (rest.length > 0) await walk(dir, rest, out, seen);
    else {
      // trailing ** matches every file below
      for (const e of await listDir(dir)) {
        if (e.name.startsWith('.')) continue;
        const p = join(dir, e.name);
        if (e.file && !seen.has(p)) {
          seen.add(p);
          out.push(p);
        }
      }
    }
    for (const e of await listDir(dir)) {
      if (e.dir && !e.name.startsWith('.')) await walk(join(dir, e.name), segments, out, seen);
    }
    return;
  }
  if (!hasGlob(head)) {
    const p = join(dir, head);
    if (rest.length > 0) await walk(p, rest, out, seen);
    else await addIfFile(p, out, seen);
    return;
  }
  const match = segmentMatcher(head);
  for (const e of await listDir(dir)) {
    if (!match(e.name)) continue;
    const p = join(dir, e.name);
    if (rest.length === 0) {
      if (e.file && !seen.has(p)) {
        seen.add(p);
        out.push(p);
      }
    } else if (e.dir) await walk(p, rest, out, seen);
  }
}

/**
 * Expands one glob pattern into the list of matching regular files (absolute paths), sorted within each brace
 * alternative, in the order of the alternatives. Supports `*`, `?` and `[...]` inside a path segment, `{a,b}`
 * anywhere and `**` as a whole segment (zero or more directories).
 */
export async function expandGlob(pattern: string, cwd: string = process.cwd()): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const p of expandBraces(pattern)) {
    const { base, segments } = splitPattern(p, cwd);
    // braces only, no wildcard left: a literal path
    if (segments.length === 0) await addIfFile(base, out, seen);
    else await walk(base, segments, out, seen);
  }
  return out;
}

/**
 * Resolves the command-line inputs into a list of files to read (`'-'` entries stay `'-'` for stdin).
 * Plain paths are checked to exist and be regular files; globs must match at least one file. A path that exists as
 * a file is read as it is even when its name has glob characters (`report[1].log`).
 *
 * @throws InputError naming the path when a file is missing, is a directory, or a glob matches nothing.
 */
export async function resolveInputs(inputs: readonly string[], cwd: string = process.cwd()): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    if (input === '-') {
      files.push('-');
      continue;
    }
    if (hasGlob(input) && !(await isFile(resolve(cwd, input)))) {
      const matched = await expandGlob(input, cwd);
      if (matched.length === 0) throw new InputError(`${input}: no files match this pattern`);
      files.push(...matched);
      continue;
    }
    const p = resolve(cwd, input);
    let s;
    try {
      s = await stat(p);
    } catch (err) {
      throw new InputError(`${input}: ${describeFsError(err)}`);
    }
    if (s.isDirectory()) throw new InputError(`${input}: is a directory (use a glob such as '${input}/*.log')`);
    files.push(p);
  }
  return files;
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/** A short human description of a filesystem error (`no such file`, `permission denied`, ...). */
export function describeFsError(err: unknown): string {
  const code = (err as { code?: string } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a path component is not a directory';
    case 'EMFILE':
      return 'too many open files';
    case 'ENOSPC':
      return 'no space left on device';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}
