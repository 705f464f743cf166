// Which unchanged files the engine needs beside the changed ones: the wrangler configs and
// pyproject.toml files in every folder above a changed file (the nearest config defines its Worker).
import { posix } from 'node:path';
import { isSkippedPath, WRANGLER_NAMES } from '../engine/index.js';

const CONTEXT_NAMES = [...WRANGLER_NAMES, 'pyproject.toml'];

/** Folders from a file's folder up to the root ('' is the root), nearest first. */
export function ancestorFolders(path: string): string[] {
  const folders: string[] = [];
  let dir = posix.dirname(path);
  for (;;) {
    folders.push(dir === '.' || dir === '/' ? '' : dir);
    if (dir === '.' || dir === '/' || dir === '') break;
    dir = posix.dirname(dir);
  }
  return folders;
}

/** Paths of the configs that may define the Workers of `changedPaths`, excluding those paths. */
export function contextCandidates(changedPaths: Iterable<string>): string[] {
  const changed = new Set(changedPaths);
  const candidates = new Set<string>();
  for (const path of changed) {
    for (const dir of ancestorFolders(path)) {
      for (const name of CONTEXT_NAMES) candidates.add(dir ? `${dir}/${name}` : name);
    }
  }
  return [...candidates].filter((p) => !changed.has(p) && !isSkippedPath(p)).sort();
}
