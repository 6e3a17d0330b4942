package org.tcpsplice.controller;

import org.tcpsplice.core.engine.Node;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.OFVlanVidMatch;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U16;
import org.projectfloodlight.openflow.types.U64;
import org.tcpsplice.controller.openflow.FlowMods;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.packet.PuntTag;
import org.tcpsplice.core.rules.NodeConnectionFlows;

/**
 * The switch's standing flows (table 0), around the slow path's splice rules (priority 40000):
 * <pre>
 *  45000  vlan 4094 (the punt tag)                   controller   (with the fast path: what it sends the controller)
 *   1000  tcp client->VIP:port (one per connection)  set eth_dst=node, output:node   (idle timeout, flow-removed)
 *   1000  tcp VIP:port->client (one per connection)  output:client
 *   1000  tcp from a node, once it carries payload   NORMAL       (slow path: one per direction, idle timeout)
 *     20  tcp, nw_src=node (one per node)            controller   (slow path: until the flow above exists)
 *     11  tcp, nw_dst=VIP, tcp_flags=+syn-ack        controller   (new connections)
 *     10  arp, arp_tpa=VIP, request                  controller   (answered with the VIP's MAC)
 *     10  ip, nw_dst=VIP                             controller   (strays: a connection without a flow)
 *      5  eth_dst=node MAC (one per node)            output:node  (among others, packets the fast path translated)
 *      0  (table miss)                               NORMAL       (everything else: plain L2 switching)
 * </pre>
 * So an unspliced connection costs the controller its SYN and nothing after. The SYN rule matches
 * the TCP flags so that the datapath's cached flow for a SYN cannot also catch the handshake's ACK
 * before OVS revalidates its cache.
 *
 * <p>The node rules at 20 close a race of the same kind on the slow path (NodeConnectionFlows in
 * splice-core says why and when a node's connection gets its flow at 1000).
 *
 * <p>The fast path sends each packet of a splice that it does not translate here with the punt tag
 * (PuntTag), so with it the switch holds no per-splice rules; the packets it translates are forwarded
 * by their new addresses (a node's MAC, or the client's connection flow).
 */
final class Pipeline {
    static final int CONNECTION_PRIORITY = 1000;
    static final int SERVICE_PRIORITY = 10;
    static final int SYN_PRIORITY = 11;
    static final int PUNT_TAG_PRIORITY = 45000;
    static final int NODE_PRIORITY = 5;
    private static final int TCP_SYN = 0x002;
    private static final int TCP_SYN_AND_ACK = 0x012;
    /** Marks the per-connection steering flows, so flow-removed messages can be told apart. */
    static final long CONNECTION_COOKIE = 0x5343L << 48;
    /** Marks the slow path's flows for connections from a node (flow-removed tells the controller). */
    static final long NODE_CONNECTION_COOKIE = 0x534EL << 48;

    private Pipeline() {
    }

    /**
     * @param fastPath whether the XDP fast path runs on the switch ports: only then is the punt tag's rule
     *                 installed, because only then does something drop the tag on frames from the hosts
     */
    static List<OFFlowAdd> standing(OFFactory f, int vip, Collection<Node> nodes, boolean fastPath) {
        List<OFFlowAdd> flows = new ArrayList<>(List.of(
                flow(f, 0, f.buildMatch().build(), output(f, OFPort.NORMAL), 0, 0),
                flow(f, SERVICE_PRIORITY, f.buildMatch().setExact(MatchField.ETH_TYPE, EthType.ARP)
                        .setExact(MatchField.ARP_OP, ArpOpcode.REQUEST)
                        .setExact(MatchField.ARP_TPA, IPv4Address.of(vip)).build(), output(f, OFPort.CONTROLLER), 0, 0),
                flow(f, SYN_PRIORITY, f.buildMatch().setExact(MatchField.ETH_TYPE, EthType.IPv4)
                        .setExact(MatchField.IP_PROTO, IpProtocol.TCP).setExact(MatchField.IPV4_DST, IPv4Address.of(vip))
                        .setMasked(MatchField.OVS_TCP_FLAGS, U16.of(TCP_SYN), U16.of(TCP_SYN_AND_ACK)).build(),
                        output(f, OFPort.CONTROLLER), 0, 0),
                flow(f, SERVICE_PRIORITY, f.buildMatch().setExact(MatchField.ETH_TYPE, EthType.IPv4)
                        .setExact(MatchField.IPV4_DST, IPv4Address.of(vip)).build(), output(f, OFPort.CONTROLLER), 0, 0)));
        if (fastPath) {
            flows.add(flow(f, PUNT_TAG_PRIORITY, f.buildMatch().setExact(MatchField.VLAN_VID,
                    OFVlanVidMatch.ofVlan(PuntTag.VLAN)).build(), output(f, OFPort.CONTROLLER), 0, 0));
        } else {
            for (Node node : nodes) {
                flows.add(flow(f, NodeConnectionFlows.NODE_SOURCE_PRIORITY, f.buildMatch().setExact(MatchField.ETH_TYPE, EthType.IPv4)
                        .setExact(MatchField.IP_PROTO, IpProtocol.TCP).setExact(MatchField.IPV4_SRC,
                                IPv4Address.of(node.ip)).build(), output(f, OFPort.CONTROLLER), 0, 0));
            }
        }
        for (Node node : nodes) {
            flows.add(flow(f, NODE_PRIORITY, f.buildMatch().setExact(MatchField.ETH_DST, MacAddress.of(node.mac)).build(),
                    List.of(f.actions().buildOutput().setPort(OFPort.of(node.switchPort)).setMaxLen(0).build()), 0, 0));
        }
        return flows;
    }

    /** Steers one new connection to its node, both ways; the forward flow reports its expiry. */
    static List<OFFlowAdd> connection(OFFactory f, FourTuple clientToService, long nodeMac, int nodePort,
                                      int clientPort, int idleSeconds) {
        List<OFAction> toNode = List.of(f.actions().setField(f.oxms().ethDst(MacAddress.of(nodeMac))),
                f.actions().buildOutput().setPort(OFPort.of(nodePort)).setMaxLen(0).build());
        OFFlowAdd forward = flow(f, CONNECTION_PRIORITY, tcp(f, clientToService), toNode, idleSeconds, CONNECTION_COOKIE)
                .createBuilder().setFlags(EnumSet.of(OFFlowModFlags.SEND_FLOW_REM)).build();
        OFFlowAdd back = flow(f, CONNECTION_PRIORITY, tcp(f, clientToService.reversed()),
                List.of(f.actions().buildOutput().setPort(OFPort.of(clientPort)).setMaxLen(0).build()), idleSeconds,
                CONNECTION_COOKIE);
        return List.of(forward, back);
    }

    /** Removes {@link #connection}'s two flows: the connection is over (its splice expired). */
    static List<OFFlowDeleteStrict> connectionEnded(OFFactory f, FourTuple clientToService) {
        List<OFFlowDeleteStrict> deletes = new ArrayList<>();
        for (FourTuple direction : List.of(clientToService, clientToService.reversed())) {
            deletes.add(f.buildFlowDeleteStrict().setTableId(TableId.of(0)).setPriority(CONNECTION_PRIORITY)
                    .setMatch(tcp(f, direction)).setOutPort(OFPort.ANY).build());
        }
        return deletes;
    }

    /** Slow path: a connection from a node that carries payload, switched normally from now on. */
    static OFFlowAdd nodeConnection(OFFactory f, FourTuple direction, int idleSeconds) {
        return flow(f, CONNECTION_PRIORITY, tcp(f, direction), List.of(f.actions().buildOutput()
                .setPort(OFPort.NORMAL).setMaxLen(0).build()), idleSeconds, NODE_CONNECTION_COOKIE)
                .createBuilder().setFlags(EnumSet.of(OFFlowModFlags.SEND_FLOW_REM)).build();
    }

    /** One TCP 4-tuple, any port: the same match a splice rule uses (built once, see FlowMods.match). */
    static Match tcp(OFFactory f, FourTuple t) {
        return FlowMods.match(f, t);
    }

    private static List<OFAction> output(OFFactory f, OFPort port) {
        return List.of(f.actions().buildOutput().setPort(port).setMaxLen(FlowMods.WHOLE_PACKET).build());
    }

    private static OFFlowAdd flow(OFFactory f, int priority, Match match, List<OFAction> actions, int idle, long cookie) {
        return f.buildFlowAdd().setTableId(TableId.of(0)).setPriority(priority).setMatch(match)
                .setInstructions(List.of(f.instructions().applyActions(actions))).setBufferId(OFBufferId.NO_BUFFER)
                .setIdleTimeout(idle).setCookie(U64.of(cookie)).build();
    }
}
