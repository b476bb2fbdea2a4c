package io.mapsync.bpf.capture;

import java.time.Duration;

/**
 * Counters of one watched map.
 *
 * @param captured changes delivered to the sink
 * @param dropped records the BPF side could not write because the ring was full
 * @param scans periodic scans and rescans done
 * @param rescans scans forced by dropped records or missing keys
 * @param lastScan how long the last scan took (dump plus diff), wall clock
 * @param lastScanCpu CPU time (user plus kernel) the capture thread spent on it
 * @param lastScanEntries entries the last scan read
 */
public record CaptureStats(
    long captured,
    long dropped,
    long scans,
    long rescans,
    Duration lastScan,
    Duration lastScanCpu,
    long lastScanEntries) {}
