package io.pekkube.actors.cluster;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.ClusterEvent.CurrentClusterState;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Keeps a restarted member from serving as an island. The first seed of a list forms a new cluster
 * when no other seed answers in time; restarted while the others are busy, it would form a second
 * cluster beside the running one, and two clusters sharing one journal each run the same entities.
 * A member that has once shared a cluster with another of its seeds ({@code pekkube.cluster.rejoining})
 * therefore takes writes, and reports ready, only while its cluster holds another of its seeds.
 */
public final class IslandGuard {
  private final boolean rejoining;
  private final Set<Address> otherSeeds;

  IslandGuard(boolean rejoining, Address self, List<Address> seeds) {
    this.rejoining = rejoining;
    this.otherSeeds = seeds.stream().filter(a -> !a.equals(self)).collect(Collectors.toUnmodifiableSet());
  }

  public static IslandGuard of(ActorSystem<?> system) {
    var config = system.settings().config();
    List<Address> seeds = config.getStringList("pekko.cluster.seed-nodes").stream()
        .map(AddressFromURIString::parse).toList();
    return new IslandGuard(config.getBoolean("pekkube.cluster.rejoining"),
        Cluster.get(system).selfMember().address(), seeds);
  }

  /**
   * True while this member is Up in a cluster without any other of its seeds: one it formed itself.
   * A member still joining is not isolated; its writes wait for sharding as on any joining member.
   */
  public boolean isolated(Member self, CurrentClusterState state) {
    return rejoining && !otherSeeds.isEmpty() && self.status() == MemberStatus.up()
        && !sharesClusterWithAnotherSeed(state);
  }

  /** True when an Up (or Leaving) member of this cluster is one of the other seeds. */
  public boolean sharesClusterWithAnotherSeed(CurrentClusterState state) {
    for (Member m : state.getMembers()) {
      boolean serving = m.status() == MemberStatus.up() || m.status() == MemberStatus.leaving();
      if (serving && otherSeeds.contains(m.address())) {
        return true;
      }
    }
    return false;
  }
}
