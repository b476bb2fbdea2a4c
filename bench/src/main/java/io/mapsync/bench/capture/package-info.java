/** The {@code bench capture} command: capture costs measured against their targets. */
package io.mapsync.bench.capture;
