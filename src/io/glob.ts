/**
 * Input path expansion: plain paths pass through, simple glob patterns (`*`, `?`, `**`) are expanded with
 * `fs.readdir` (Node 20 has no `fs.glob`). No dependencies, no shell.
 *
 * @module
 */
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { InputError } from '../cli/command.js';

/** True when `pattern` contains a glob metacharacter (`*` or `?`). */
export function hasGlob(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/**
 * Compiles one path segment pattern (`*.log`, `auth.log.?`) into a RegExp that matches a whole file name.
 * `*` matches any run of characters except `/`, `?` exactly one. A leading `.` in a name is only matched by a
 * pattern that itself starts with `.` (shell convention: `*` does not pick up hidden files).
 */
export function segmentMatcher(segment: string): (name: string) => boolean {
  let source = '^';
  for (const ch of segment) {
    if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else source += ch.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
  }
  source += '$';
  const re = new RegExp(source, 's');
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
    if (rest.length === 0) {
      try {
        if ((await stat(p)).isFile() && !seen.has(p)) {
          seen.add(p);
          out.push(p);
        }
      } catch {
        /* no match */
      }
    } else await walk(p, rest, out, seen);
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
 * Expands one glob pattern into the sorted list of matching regular files (absolute paths).
 * Supports `*` and `?` inside a path segment and `**` as a whole segment (zero or more directories).
 */
export async function expandGlob(pattern: string, cwd: string = process.cwd()): Promise<string[]> {
  const { base, segments } = splitPattern(pattern, cwd);
  const out: string[] = [];
  await walk(base, segments, out, new Set());
  return out;
}

/**
 * Resolves the command-line inputs into a list of files to read (`'-'` entries stay `'-'` for stdin).
 * Plain paths are checked to exist and be regular files; globs must match at least one file.
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
    if (hasGlob(input)) {
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
