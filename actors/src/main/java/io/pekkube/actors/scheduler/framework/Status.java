package io.pekkube.actors.scheduler.framework;

import java.util.List;

/**
 * The answer of a plugin, as Kubernetes' {@code framework.Status}: a code and the reasons users read
 * in {@code kubectl describe pod} (each plugin keeps its reason strings as constants).
 * {@link Code#UNSCHEDULABLE_AND_UNRESOLVABLE} tells preemption that evicting pods from that node
 * would not help.
 */
public record Status(Code code, List<String> reasons, String plugin) {

  public enum Code { SUCCESS, ERROR, UNSCHEDULABLE, UNSCHEDULABLE_AND_UNRESOLVABLE, WAIT, SKIP }

  public static final Status SUCCESS = new Status(Code.SUCCESS, List.of(), "");
  public static final Status SKIP = new Status(Code.SKIP, List.of(), "");

  public static Status unschedulable(String plugin, String... reasons) {
    return new Status(Code.UNSCHEDULABLE, List.of(reasons), plugin);
  }

  public static Status unresolvable(String plugin, String... reasons) {
    return new Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of(reasons), plugin);
  }

  public static Status error(String plugin, String message) {
    return new Status(Code.ERROR, List.of(message), plugin);
  }

  public boolean isSuccess() {
    return code == Code.SUCCESS;
  }

  public boolean isRejected() {
    return code == Code.UNSCHEDULABLE || code == Code.UNSCHEDULABLE_AND_UNRESOLVABLE;
  }

  public String message() {
    return String.join(", ", reasons);
  }
}
