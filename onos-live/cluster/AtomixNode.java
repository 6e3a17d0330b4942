import io.atomix.cluster.Node;
import io.atomix.cluster.discovery.BootstrapDiscoveryProvider;
import io.atomix.core.Atomix;
import io.atomix.protocols.raft.partition.RaftPartitionGroup;
import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * One storage node of an ONOS 2.7 cluster, as ONOS's atomix-agent runs it (Atomix 3.1.9, the version
 * ONOS 2.7 ships): {@code java -cp ATOMIX_JARS AtomixNode.java ID HOST:PORT DATA_DIR ID@HOST:PORT...}
 * with every storage node listed, itself included. A Raft management group and a Raft partition
 * group named "raft" over all of them, as onos-gen-config writes it.
 */
public final class AtomixNode {
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: AtomixNode ID HOST:PORT DATA_DIR ID@HOST:PORT...");
            System.exit(2);
        }
        String id = args[0];
        String[] self = args[1].split(":");
        File data = new File(args[2]);
        List<Node> nodes = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            String[] member = args[i].split("@");
            nodes.add(Node.builder().withId(member[0]).withAddress(member[1]).build());
            ids.add(member[0]);
        }
        Atomix atomix = Atomix.builder()
                .withClusterId("onos") // the cluster's name in ONOS's cluster.json: the messaging handshake checks it
                .withMemberId(id)
                .withAddress(self[0], Integer.parseInt(self[1]))
                .withMembershipProvider(BootstrapDiscoveryProvider.builder().withNodes(nodes).build())
                .withManagementGroup(RaftPartitionGroup.builder("system").withNumPartitions(1).withMembers(ids)
                        .withDataDirectory(new File(data, "system")).build())
                .withPartitionGroups(RaftPartitionGroup.builder("raft").withNumPartitions(ids.size())
                        .withPartitionSize(ids.size()).withMembers(ids).withDataDirectory(new File(data, "raft")).build())
                .build();
        atomix.start().join();
        System.out.println("atomix node " + id + " started");
        Thread.currentThread().join();
    }
}
