package io.pekkube.node.probes;

/**
 * The result of one probe over its runs, as the kubelet's prober worker keeps it: the result changes
 * only after {@code successThreshold} consecutive successes or {@code failureThreshold} consecutive
 * failures. Before its first decisive run a readiness probe reads failed, a liveness probe succeeded
 * and a startup probe not yet succeeded.
 */
public record ProbeState(boolean success, int successes, int failures) {

  public static ProbeState initial(ProbeSpec.Kind kind) {
    return new ProbeState(kind == ProbeSpec.Kind.LIVENESS, 0, 0);
  }

  public ProbeState observe(boolean ok, ProbeSpec spec) {
    if (ok) {
      int successes = this.successes + 1;
      return new ProbeState(success || successes >= spec.successThreshold(), successes, 0);
    }
    int failures = this.failures + 1;
    return new ProbeState(success && failures < spec.failureThreshold(), 0, failures);
  }
}
