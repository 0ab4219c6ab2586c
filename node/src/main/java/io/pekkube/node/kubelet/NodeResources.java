package io.pekkube.node.kubelet;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A node's capacity (cpu in millicores, memory and ephemeral storage in bytes, pods) and what is free
 * of it now, for the Node's status and its pressure conditions.
 */
public record NodeResources(long cpuMillis, long memoryBytes, long ephemeralStorageBytes, int pods,
    long memoryAvailableBytes, long storageAvailableBytes) {

  /** The host's: cpu count, physical memory, the file system of the kubelet's directory. */
  public static NodeResources ofHost(Path dataDir, int maxPods) {
    long cpu = Runtime.getRuntime().availableProcessors() * 1000L;
    long memory = 0;
    long free = 0;
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      memory = os.getTotalMemorySize();
      free = os.getFreeMemorySize();
    }
    long disk = 0;
    long usable = 0;
    try {
      var store = Files.getFileStore(dataDir);
      disk = store.getTotalSpace();
      usable = store.getUsableSpace();
    } catch (IOException e) {
      // An unreadable file system reports no ephemeral storage.
    }
    return new NodeResources(cpu, memory, disk, maxPods, free, usable);
  }

  /** A capacity overriding the host's where given (> 0), e.g. from flags or for simulated nodes. */
  public NodeResources override(long cpuMillis, long memoryBytes, long storageBytes) {
    long memory = memoryBytes > 0 ? memoryBytes : this.memoryBytes;
    long storage = storageBytes > 0 ? storageBytes : ephemeralStorageBytes;
    return new NodeResources(cpuMillis > 0 ? cpuMillis : this.cpuMillis, memory, storage, pods,
        memoryBytes > 0 ? memory : memoryAvailableBytes, storageBytes > 0 ? storage : storageAvailableBytes);
  }

  /** The eviction thresholds' defaults: less than 100Mi of memory available. */
  public boolean memoryPressure() {
    return memoryBytes > 0 && memoryAvailableBytes < 100L * 1024 * 1024;
  }

  /** Less than 10% of the node's file system available. */
  public boolean diskPressure() {
    return ephemeralStorageBytes > 0 && storageAvailableBytes * 10 < ephemeralStorageBytes;
  }
}
