"""What a connection outside any splice may cost the controller: its SYN and ARP for the VIP, and under
ONOS its handshake ahead of its steering flows. ONOS 2.7 cannot match TCP flags, so OVS caches the
SYN's path to ONOS for the packets behind it until it revalidates (docs/status.md); the standalone
controller's SYN rule matches the flags."""


def assert_only_syns_reach_the_controller(sc, before, after, connections):
    def delta(name):
        return after.get(name, 0) - before.get(name, 0)
    early = delta('forwarded_to_owner')
    assert delta('new_connections') == connections, after
    assert delta('packet_in') == connections + delta('arp_replies') + early, \
        'only SYNs, ARP for the VIP and a handshake ahead of its flows reach the controller: %s' % after
    if sc.controller.name == 'onos':
        # The handshake's ACK and the request behind it, at most; never the response's acks.
        assert early <= 2 * connections, 'a handshake ahead of its flows, no more: %s' % after
    else:
        assert early == 0, 'nothing after the SYN: %s' % after
