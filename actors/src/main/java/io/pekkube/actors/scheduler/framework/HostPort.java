package io.pekkube.actors.scheduler.framework;

/** A host port a container asks for; {@code 0.0.0.0} stands for every address. */
public record HostPort(String ip, String protocol, int port) {
  public static final String ANY_IP = "0.0.0.0";

  /** Two pods cannot both have it: same protocol and port, and one of them on every address or both on one. */
  public boolean conflictsWith(HostPort other) {
    return port == other.port && protocol.equals(other.protocol)
        && (ip.equals(ANY_IP) || other.ip.equals(ANY_IP) || ip.equals(other.ip));
  }
}
