package io.mapsync.bpf.capture;

/**
 * Where a {@link CaptureSession} delivers changes. Called on the session's capture thread, in
 * capture order; hand work off rather than block, or the ring buffer fills and forces a rescan. A
 * sink may call the session's {@code apply*} methods, but not {@code add}, {@code remove} or {@code
 * close}: those wait for the capture thread.
 */
public interface ChangeSink {
  void onChange(MapChange change);

  /**
   * Records of this map were lost (full ring buffer, key too large to travel inline); the session
   * is rescanning it and the changes that follow, tier SCAN, bring the sink back in line with the
   * map.
   */
  default void onResync(int mapId, String reason) {}
}
