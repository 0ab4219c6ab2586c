package io.pekkube.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.ClusterEvent.CurrentClusterState;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.util.Version;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@link Quorum} counts the control-plane members only, as the split-brain resolver does
 * ({@code keep-majority.role = "control-plane"}): workers, however many and whatever their addresses,
 * neither make nor break a majority.
 */
class QuorumTest {
  private static final String CP = Roles.CONTROL_PLANE;
  private static final String WORKER = Roles.WORKER;

  /** An Up member at 127.0.0.{@code lastOctet} with one role. */
  private static Member up(int lastOctet, String role) {
    Address address = new Address("pekko", "pekkube", "127.0.0." + lastOctet, 2552);
    scala.collection.immutable.Set<String> roles =
        CollectionConverters.asScala(Set.of(role, "dc-default")).toSet();
    return new Member(new UniqueAddress(address, lastOctet), 1, MemberStatus.up(), roles, Version.Zero());
  }

  private static Member withStatus(Member m, MemberStatus status) {
    return new Member(m.uniqueAddress(), m.upNumber(), status, m.roles(), m.appVersion());
  }

  /** The cluster as one member sees it: {@code reachable} and {@code unreachable} members. */
  private static CurrentClusterState seen(List<Member> reachable, List<Member> unreachable) {
    List<Member> all = new ArrayList<>(reachable);
    all.addAll(unreachable);
    scala.collection.immutable.SortedSet<Member> members =
        scala.collection.immutable.TreeSet$.MODULE$.from(CollectionConverters.asScala(all), Member.ordering());
    return new CurrentClusterState(members, CollectionConverters.asScala(Set.copyOf(unreachable)).toSet(),
        scala.collection.immutable.Set$.MODULE$.empty(), scala.Option.empty(),
        scala.collection.immutable.Map$.MODULE$.empty());
  }

  @Test
  void aControlPlaneThatLostOnlyItsAgentKeepsTheQuorumThoughTheAgentHasTheLowerAddress() {
    Member agent = up(11, WORKER);
    Member controlPlane = up(12, CP);
    assertTrue(Quorum.reachesMajority(seen(List.of(controlPlane), List.of(agent))),
        "counting the agent made this a tie that the agent's lower address won");
  }

  @Test
  void unreachableWorkersDoNotOutvoteAReachableControlPlane() {
    Member controlPlane = up(13, CP);
    assertTrue(Quorum.reachesMajority(seen(List.of(controlPlane), List.of(up(11, WORKER), up(12, WORKER)))));
  }

  @Test
  void reachableWorkersDoNotMakeUpForUnreachableControlPlaneMembers() {
    List<Member> reachable = List.of(up(11, CP), up(14, WORKER), up(15, WORKER), up(16, WORKER));
    assertFalse(Quorum.reachesMajority(seen(reachable, List.of(up(12, CP), up(13, CP)))));
  }

  @Test
  void aControlPlaneTieGoesToTheSideWithTheLowestControlPlaneAddressWhateverTheWorkersAddresses() {
    Member worker = up(11, WORKER);
    Member lowerControlPlane = up(12, CP);
    Member higherControlPlane = up(13, CP);
    assertFalse(Quorum.reachesMajority(seen(List.of(worker, higherControlPlane), List.of(lowerControlPlane))),
        "the side without the lowest control-plane member loses the tie");
    assertTrue(Quorum.reachesMajority(seen(List.of(lowerControlPlane), List.of(worker, higherControlPlane))),
        "the side with the lowest control-plane member keeps it, though a worker's address is lower");
  }

  @Test
  void controlPlaneMembersNotYetUpDoNotCount() {
    Member joining = withStatus(up(12, CP), MemberStatus.joining());
    assertTrue(Quorum.reachesMajority(seen(List.of(up(11, CP)), List.of(joining, up(13, WORKER)))));
  }

  @Test
  void withoutAnyReachableControlPlaneMemberThereIsNoQuorum() {
    assertFalse(Quorum.reachesMajority(seen(List.of(up(11, WORKER)), List.of(up(12, CP)))));
  }
}
