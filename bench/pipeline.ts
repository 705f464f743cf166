// The review pipeline per pull-request size, each size in a fresh child process (so that its peak RSS
// is its own): requests made, wall time without the simulated GitHub latency, CPU, peak RSS.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { round } from './measure.js';

export interface PipelineRun {
  files: number;
  pythonMb: number;
  requests: number;
  /** N + 5 + ceil(N/100). */
  bound: number;
  withinBound: boolean;
  requestKinds: Record<string, number>;
  /** Writes and GraphQL requests: in production Octokit's throttling spaces them ≥ 1 s apart (disabled here). */
  throttledRequests: number;
  /** The wall time that spacing adds at least: (throttledRequests − 1) s. */
  throttleFloorSeconds: number;
  latencyMs: number;
  wallMs: number;
  wallMsWithoutLatency: number;
  /** The app's CPU (the fake GitHub's own work subtracted). */
  cpuSeconds: number;
  cpuSecondsWithFake: number;
  cpuMsPerFile: number;
  rssBeforeMb: number;
  peakRssMb: number;
  reviews: number;
  inlineComments: number;
  annotations: number;
}

const CHILD = fileURLToPath(new URL('./pipeline-child.js', import.meta.url));
const MEMORY_CHILD = fileURLToPath(new URL('./memory-child.js', import.meta.url));

export interface EngineMemoryRun {
  mode: 'sync' | 'async';
  files: number;
  findings: number;
  cpuSeconds: number;
  rssBeforeMb: number;
  peakRssMb: number;
}

/** The engine alone over the same pull request's files: analyze vs analyzeAsync, a fresh process each. */
export function benchEngineMemory(files: number): EngineMemoryRun[] {
  return (['sync', 'async'] as const).map((mode) => {
    const out = execFileSync(process.execPath, [MEMORY_CHILD, mode, String(files)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const r = JSON.parse(out.trim().split('\n').pop()!) as EngineMemoryRun;
    return { ...r, cpuSeconds: round(r.cpuSeconds, 3), rssBeforeMb: round(r.rssBeforeMb, 0), peakRssMb: round(r.peakRssMb, 0) };
  });
}

export function benchPipeline(sizes: readonly number[], latencyMs: number): PipelineRun[] {
  return sizes.map((files) => {
    const out = execFileSync(process.execPath, ['--expose-gc', CHILD, String(files), String(latencyMs)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 16 * 1024 * 1024,
    });
    const r = JSON.parse(out.trim().split('\n').pop()!) as Omit<PipelineRun, 'withinBound' | 'cpuMsPerFile' | 'throttleFloorSeconds'>;
    return {
      ...r,
      throttleFloorSeconds: Math.max(0, r.throttledRequests - 1),
      pythonMb: round(r.pythonMb, 2),
      withinBound: r.requests <= r.bound,
      wallMs: round(r.wallMs, 0),
      wallMsWithoutLatency: round(r.wallMsWithoutLatency, 0),
      cpuSeconds: round(r.cpuSeconds, 3),
      cpuSecondsWithFake: round(r.cpuSecondsWithFake, 3),
      cpuMsPerFile: round((r.cpuSeconds * 1000) / files, 2),
      rssBeforeMb: round(r.rssBeforeMb, 0),
      peakRssMb: round(r.peakRssMb, 0),
    };
  });
}
