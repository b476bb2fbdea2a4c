package io.mapsync.bpf;

/**
 * A program's counters from struct bpf_prog_info. Run time and count move only while run-time
 * statistics are enabled ({@link RunTimeStats}); recursion misses always do: each is a run the
 * kernel skipped because another BPF program was already running on that CPU.
 */
public record ProgramStats(long runTimeNs, long runCount, long recursionMisses) {
  /** Mean nanoseconds per run, or 0 before any counted run. */
  public double nanosPerRun() {
    return runCount == 0 ? 0 : (double) runTimeNs / runCount;
  }
}
