package io.pekkube.actors.authz;

import java.util.List;

/** Who made a request, as authentication establishes it ({@code user.Info} in Kubernetes). */
public record UserInfo(String username, String uid, List<String> groups) {

  /**
   * The identity of a request's user name. Every request is the cluster administrator until
   * authentication arrives: in the {@code system:masters} group, as a kubeadm admin.conf user is.
   */
  public static UserInfo of(String username) {
    return new UserInfo(username, "", List.of("system:masters", "system:authenticated"));
  }
}
