/* Shared between the XDP program and its loaders: the fast path's map layout. */
#ifndef SPLICE_XDP_H
#define SPLICE_XDP_H

#include <linux/types.h>

/* A level-1 key: the packet's own 4-tuple, in network byte order as it is on the wire. */
struct splice_key {
    __u32 src_ip;
    __u32 dst_ip;
    __u16 src_port;
    __u16 dst_port;
};

/* A key's newest, unsealed level-2 entry (splice-core's Level2Entry), a retired end or a tag-only key
 * (flags); numbers in host order unless said otherwise. */
struct splice_entry {
    __u32 handoff_seq;
    __u32 handoff_ack;
    __s32 seq_delta;
    __s32 ack_delta;
    __s32 tsval_delta;
    __s32 tsecr_delta;
    __u32 new_src_ip;      /* network order */
    __u32 new_dst_ip;      /* network order */
    __u16 new_src_port;    /* network order */
    __u16 new_dst_port;    /* network order */
    __u8 src_mac[6];
    __u8 dst_mac[6];
    __u8 wscale_from;
    __u8 wscale_to;
    /* Toward-client entries: how many of the target's acks of the forwarded request are still left
     * to the controller, which copies them to the forwarding node (FastPathEntries.FORWARDER_ACKS
     * when written; the program counts down). */
    __u8 punt_acks;
    __u8 flags;
    /* Seconds of CLOCK_MONOTONIC, cut to 32 bits, when this entry last translated a packet (the
     * program writes it, at most once a second, and never 0; 0 when written by the controller). The
     * controller reads it before it ends a splice as idle, since the packets translated here never
     * reach it, and takes its age in 32-bit serial arithmetic (FastPathEncoding.seenWithin). */
    __u32 last_seen;
};

#define FORWARDER_ACKS 3 /* Level2Entry.FORWARDER_ACKS */
/* flags: the key holds nothing to translate by (a sealed sender): every packet of it goes to the
 * controller. The other fields are zero. */
#define SPLICE_TAG_ONLY 1
/* flags: a retired end, the end a node let go of at its handoff (FastPathEntries.Held): what it may
 * still send passes untouched, to the switch's own rules: segments ending at or before handoff_seq,
 * acks at or before handoff_ack (first of all the request the node forwards on its new connection).
 * Anything past them, a SYN, FIN or RST goes to the controller. The other fields are zero. */
#define SPLICE_RETIRED_END 2
/* The VLAN id of the tag that sends a packet to the controller (PuntTag.VLAN). */
#define PUNT_VLAN 4094

#endif
