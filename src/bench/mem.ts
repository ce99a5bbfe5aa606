/** Memory measurement for the benchmark: process peak RSS, sampled RSS, and per-step peaks via Linux clear_refs. */
import { readFileSync, writeFileSync } from 'node:fs';

const canResetPeak = (() => {
  try { writeFileSync('/proc/self/clear_refs', '5'); return true; } catch { return false; }
})();

function vmHwmBytes(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch { return null; }
}

let lifetimePeak = 0;

/** Samples RSS every `ms` while running; `peak()` is the max of the samples and (Linux) the kernel's high-water mark. */
export class RssSampler {
  private max = 0;
  private timer: NodeJS.Timeout | null = null;
  constructor(private readonly ms = 100) {}

  start(): this {
    this.max = process.memoryUsage.rss();
    if (canResetPeak) { try { writeFileSync('/proc/self/clear_refs', '5'); } catch { /* ignore */ } }
    this.timer = setInterval(() => { const r = process.memoryUsage.rss(); if (r > this.max) this.max = r; }, this.ms);
    this.timer.unref();
    return this;
  }

  /** Peak bytes since start(): max(sampled, VmHWM after reset). */
  stop(): { peak_rss_bytes: number; sampled_peak_rss_bytes: number; hwm_bytes: number | null } {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const r = process.memoryUsage.rss();
    if (r > this.max) this.max = r;
    const hwm = canResetPeak ? vmHwmBytes() : null;
    lifetimePeak = Math.max(lifetimePeak, this.max, hwm ?? 0);
    return { peak_rss_bytes: Math.max(this.max, hwm ?? 0), sampled_peak_rss_bytes: this.max, hwm_bytes: hwm };
  }
}

/** Runs fn and returns its result, wall time and peak RSS. */
export async function measure<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; cpu_ms: number; peak_rss_bytes: number }> {
  const s = new RssSampler().start();
  const t = performance.now();
  const c0 = process.cpuUsage();
  const value = await fn();
  const ms = performance.now() - t;
  const c = process.cpuUsage(c0);
  return { value, ms, cpu_ms: (c.user + c.system) / 1000, peak_rss_bytes: s.stop().peak_rss_bytes };
}

/**
 * Process-lifetime peak RSS (bytes): resourceUsage().maxRSS (kilobytes) and the peaks seen by every sampler (resetting
 * the high-water mark through clear_refs can lower what getrusage reports, so both are kept).
 */
export function processMaxRss(): number {
  return Math.max(process.resourceUsage().maxRSS * 1024, lifetimePeak, vmHwmBytes() ?? 0);
}

export const mb = (b: number | null | undefined) => (b == null ? null : Math.round(b / 1024 / 1024));
