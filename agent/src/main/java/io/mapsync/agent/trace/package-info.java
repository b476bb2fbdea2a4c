/** The {@code trace} command: a map's captured changes, one JSON line each. */
package io.mapsync.agent.trace;
