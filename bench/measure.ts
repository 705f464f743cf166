// Timing helpers: wall and CPU time of one call (charged with a minor GC of its own garbage),
// medians, and settling the heap before a series.
import { readFileSync } from 'node:fs';

export interface Sample {
  wallMs: number;
  cpuMs: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

const minorGc = gc ? () => (gc as unknown as (options: { type: 'minor' }) => void)({ type: 'minor' }) : null;

export function collectGarbage(): void {
  gc?.();
}

export function hasGc(): boolean {
  return typeof gc === 'function';
}

/**
 * Collects garbage and returns to the event loop twice: node-tree-sitter frees trees only in
 * finalizers run from the event loop, so a benchmark that never yields keeps every tree it parsed.
 */
export async function settle(): Promise<void> {
  for (let i = 0; i < 2; i++) {
    collectGarbage();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Times one synchronous call, by default after settling the heap. A series of runs of the same code
 * settles once before its first run and passes `settle: false` after that: a forced full GC that
 * collects every object of a shape also throws away the optimized code built for that shape (V8
 * deoptimizes it), so a run timed right after one measures code re-warming, which no long-running
 * process does on every call (measured: all rules over 1 MB, ratio to parse ~1.9 with a forced GC
 * before every run, ~1.3–1.6 without). Runs that skip it still return to the event loop first, so
 * finalizers of trees collected meanwhile run outside the clock.
 */
export async function timeIt<T>(fn: () => T, options: { settle?: boolean } = {}): Promise<Sample & { value: T }> {
  if (options.settle === false) await new Promise((resolve) => setImmediate(resolve));
  else await settle();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  // The call pays for collecting its own young garbage: without this, whichever step runs next
  // does (measured: a bare parse of 1 MB took 160 ms after another parse and 200 ms right after
  // an analyze, whose garbage it collected). A minor GC leaves old-space maps alone, so unlike a
  // full one it does not deoptimize code built for them.
  minorGc?.();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, value };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Megabyte as 10^6 bytes (the corpus is ASCII, so characters are bytes). */
export const MB = 1_000_000;

/**
 * Peak resident set size of this process in MB. Linux keeps ru_maxrss across fork and exec (a child
 * would report its parent's peak), so VmHWM from /proc is read first.
 */
export function peakRssMb(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}
