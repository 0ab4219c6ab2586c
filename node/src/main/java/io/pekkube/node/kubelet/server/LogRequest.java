package io.pekkube.node.kubelet.server;

import java.time.Instant;

/**
 * What a {@code containerLogs} request asks for, as the kubelet's log reader takes it: follow, the last
 * {@code tailLines} lines (null: all), {@code timestamps} prefixed, only entries at or after
 * {@code since}, at most {@code limitBytes} bytes (null: no limit).
 */
public record LogRequest(boolean follow, Long tailLines, boolean timestamps, Instant since, Long limitBytes) {}
