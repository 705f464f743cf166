// Timing helpers: wall and CPU time of one call, medians, and a forced GC between runs so one
// run's garbage is not collected on the next run's clock.

export interface Sample {
  wallMs: number;
  cpuMs: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

export function collectGarbage(): void {
  gc?.();
}

export function hasGc(): boolean {
  return typeof gc === 'function';
}

export function timeIt<T>(fn: () => T): Sample & { value: T } {
  collectGarbage();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
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
