// Reading a local checkout: the files `check PATH…` lints, and the configs their Workers need.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { isSkippedPath, languageOf, type SourceFile } from '../engine/index.js';

export class UsageError extends Error {}

export interface DiskFiles {
  /** The folder paths are relative to (the common root of the arguments, or the cwd). */
  root: string;
  files: SourceFile[];
  /** Configs and pyproject.toml files above the linted paths, read for Worker profiles. */
  context: SourceFile[];
  unreadable: { path: string; reason: string }[];
}

const SKIP_DIRS = new Set(['.git', 'node_modules', '.venv', 'venv', 'python_modules', '__pycache__', '.wrangler', 'dist']);

function toPosix(p: string): string {
  return p.split(sep).join('/');
}

/** File bytes as text: invalid UTF-8 becomes U+FFFD rather than an unreadable file; a BOM is dropped. */
export function decodeText(buf: Uint8Array): string {
  // ignoreBOM keeps a leading BOM in the output, so that it is dropped here, once, whatever the decoder does.
  const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(buf);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function readText(abs: string): string {
  return decodeText(readFileSync(abs));
}

/** Lintable files under `paths` (files or folders), relative to `root` (default: cwd). */
export function readDisk(paths: readonly string[], root = process.cwd()): DiskFiles {
  const absRoot = resolve(root);
  const out: DiskFiles = { root: absRoot, files: [], context: [], unreadable: [] };
  const seen = new Set<string>();
  const add = (abs: string, into: SourceFile[]) => {
    const rel = toPosix(relative(absRoot, abs)) || abs;
    if (seen.has(rel)) return;
    seen.add(rel);
    try {
      into.push({ path: rel, text: readText(abs) });
    } catch (err) {
      out.unreadable.push({ path: rel, reason: (err as NodeJS.ErrnoException).code ?? (err as Error).message });
    }
  };
  const walk = (dir: string) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      out.unreadable.push({ path: toPosix(relative(absRoot, dir)), reason: (err as NodeJS.ErrnoException).code ?? 'unreadable' });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      const abs = join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(abs);
      } else if (e.isFile() && languageOf(e.name)) {
        add(abs, out.files);
      }
    }
  };
  for (const p of paths.length ? paths : ['.']) {
    const abs = resolve(p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new UsageError(`${p}: no such file or directory`);
    }
    if (st.isDirectory()) walk(abs);
    else if (languageOf(abs)) add(abs, out.files);
    else throw new UsageError(`${p}: not a file this tool checks (*.py, wrangler.*, pyproject.toml, requirements*.txt, package.json)`);
  }
  // Workers whose config lies above the linted paths still define the profile.
  for (const f of [...out.files]) {
    let dir = resolve(absRoot, f.path, '..');
    while (dir.startsWith(absRoot)) {
      for (const name of ['wrangler.json', 'wrangler.jsonc', 'wrangler.toml', 'pyproject.toml']) {
        const abs = join(dir, name);
        const rel = toPosix(relative(absRoot, abs));
        if (seen.has(rel) || isSkippedPath(rel)) continue;
        try {
          if (statSync(abs).isFile()) add(abs, out.context);
        } catch {
          // absent
        }
      }
      const up = resolve(dir, '..');
      if (up === dir) break;
      dir = up;
    }
  }
  return out;
}
