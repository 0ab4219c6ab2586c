package io.pekkube.actors.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.pekko.cluster.ClusterEvent.CurrentClusterState;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;

/**
 * Whether a member is on the side of a partition that the split-brain resolver (keep-majority over
 * the {@code control-plane} members, as pekkube.conf configures it) keeps. A member that is not stops taking writes at once: between the moment it loses the majority
 * and the moment its JVM leaves, sharding on the other side may already run the same entities, and
 * two writers of one journal would corrupt it.
 */
public final class Quorum {
  private Quorum() {}

  /**
   * True while the reachable Up (or Leaving) control-plane members are a majority, or half including the
   * lowest address. Workers do not count, as they do not for the resolver.
   */
  public static boolean reachesMajority(CurrentClusterState state) {
    Set<Member> unreachable = state.getUnreachable();
    if (unreachable.isEmpty()) {
      return true;
    }
    List<Member> counted = new ArrayList<>();
    for (Member m : state.getMembers()) {
      if (m.hasRole(Roles.CONTROL_PLANE)
          && (m.status() == MemberStatus.up() || m.status() == MemberStatus.leaving())) {
        counted.add(m);
      }
    }
    long reachable = counted.stream().filter(m -> !unreachable.contains(m)).count();
    if (reachable * 2 > counted.size()) {
      return true;
    }
    if (reachable * 2 < counted.size() || counted.isEmpty()) {
      return false;
    }
    // A tie: keep-majority keeps the side holding the member with the lowest address.
    Member lowest = counted.stream().min((a, b) -> Member.addressOrdering().compare(a.address(), b.address()))
        .orElseThrow();
    return !unreachable.contains(lowest);
  }
}
