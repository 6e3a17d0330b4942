// SPDX-License-Identifier: GPL-2.0
/*
 * The fast path: translates a packet in its splice's newest range exactly as splice-core's
 * PacketTranslator does (MACs, IPs, ports, seq, ack, SACK edges, timestamps, window, incremental
 * checksums), before Open vSwitch sees it. The map holds every 4-tuple of every splice
 * (FastPathEntries): any other packet of a held tuple (older ranges, let-go ends, SYNs, odd headers)
 * gets the punt VLAN tag pushed, and one standing OVS rule sends that VLAN to the controller, so the
 * switch needs no per-splice rules. Frames of tuples the map does not hold pass untouched. Checked
 * byte for byte against test-vectors/translator-vectors.txt.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "splice_xdp.h"

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1 << 20);
    __type(key, struct splice_key);
    __type(value, struct splice_entry);
} splice_entries SEC(".maps");

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10
#define MAX_OPTION_BYTES 40

/* One's-complement arithmetic as Checksum.java: an unfolded 32-bit accumulator. */
static __always_inline __u32 csum_replace16(__u32 acc, __u16 old, __u16 new)
{
    return acc + (__u16)~old + new;
}

static __always_inline __u16 swap16(__u16 w)
{
    return (w << 8) | (w >> 8);
}

static __always_inline __u32 csum_replace32(__u32 acc, __u32 old, __u32 new, int odd)
{
    __u16 oh = old >> 16, ol = old & 0xffff, nh = new >> 16, nl = new & 0xffff;
    if (odd) {
        oh = swap16(oh);
        ol = swap16(ol);
        nh = swap16(nh);
        nl = swap16(nl);
    }
    return csum_replace16(csum_replace16(acc, oh, nh), ol, nl);
}

static __always_inline __u16 csum_finish(__u32 acc)
{
    acc = (acc & 0xffff) + (acc >> 16);
    acc = (acc & 0xffff) + (acc >> 16);
    acc = (acc & 0xffff) + (acc >> 16);
    return ~acc & 0xffff;
}

static __always_inline __u32 load32(const __u8 *p)
{
    return ((__u32)p[0] << 24) | ((__u32)p[1] << 16) | ((__u32)p[2] << 8) | p[3];
}

static __always_inline void store32(__u8 *p, __u32 v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

/* Adds delta to the big-endian 32-bit field at p (offset off from the TCP header), updating acc. */
static __always_inline __u32 add32(__u8 *p, int off, __s32 delta, __u32 acc)
{
    __u32 old = load32(p);
    __u32 updated = old + (__u32)delta;
    store32(p, updated);
    return csum_replace32(acc, old, updated, off & 1);
}

/* The same for a field reached through the helpers (variable offsets into the TCP options). */
static __always_inline int add32_at(struct xdp_md *ctx, __u32 pkt_off, int tcp_off, __s32 delta, __u32 *acc)
{
    __u8 b[4];
    if (bpf_xdp_load_bytes(ctx, pkt_off, b, 4))
        return -1;
    __u32 old = load32(b);
    __u32 updated = old + (__u32)delta;
    store32(b, updated);
    if (bpf_xdp_store_bytes(ctx, pkt_off, b, 4))
        return -1;
    *acc = csum_replace32(*acc, old, updated, tcp_off & 1);
    return 0;
}

/* The TCP options of one packet while pass 1 walks them; offsets are from the TCP header. */
struct options {
    __u8 bytes[MAX_OPTION_BYTES];
    int len;
    int at;
    int ts_off;
    int sack_off;
    int sack_blocks;
    int bad;
};

/* Copies the options out of the packet. Their length is a multiple of 4 (4..40): one constant-size
 * copy per case, because the verifier wants a length it can prove is not zero. */
static __always_inline int copy_options(struct xdp_md *ctx, __u8 *to, int len)
{
    const __u32 off = sizeof(struct ethhdr) + sizeof(struct iphdr) + 20;
    switch (len) {
    case 4: return bpf_xdp_load_bytes(ctx, off, to, 4);
    case 8: return bpf_xdp_load_bytes(ctx, off, to, 8);
    case 12: return bpf_xdp_load_bytes(ctx, off, to, 12);
    case 16: return bpf_xdp_load_bytes(ctx, off, to, 16);
    case 20: return bpf_xdp_load_bytes(ctx, off, to, 20);
    case 24: return bpf_xdp_load_bytes(ctx, off, to, 24);
    case 28: return bpf_xdp_load_bytes(ctx, off, to, 28);
    case 32: return bpf_xdp_load_bytes(ctx, off, to, 32);
    case 36: return bpf_xdp_load_bytes(ctx, off, to, 36);
    case 40: return bpf_xdp_load_bytes(ctx, off, to, 40);
    default: return -1;
    }
}

/* One step of the walk (bpf_loop callback): returns 1 to stop. Mirrors TcpFrame.parseOptions. */
static long parse_option(__u32 index, void *data)
{
    struct options *o = data;
    int at = o->at;
    if (at < 0 || at >= o->len || at >= MAX_OPTION_BYTES)
        return 1;
    __u8 kind = o->bytes[at];
    if (kind == 0)
        return 1;
    if (kind == 1) {
        o->at = at + 1;
        return 0;
    }
    if (at + 1 >= o->len || at + 1 >= MAX_OPTION_BYTES) {
        o->bad = 1;
        return 1;
    }
    int len = o->bytes[at + 1];
    if (len < 2 || at + len > o->len) {
        o->bad = 1;
        return 1;
    }
    if (kind == 8) {
        if (len != 10 || o->ts_off >= 0) {
            o->bad = 1;
            return 1;
        }
        o->ts_off = 20 + at;
    } else if (kind == 5) {
        if (len < 10 || (len - 2) % 8 != 0 || o->sack_off >= 0) {
            o->bad = 1;
            return 1;
        }
        o->sack_off = 20 + at;
        o->sack_blocks = (len - 2) / 8;
    }
    o->at = at + len;
    return 0;
}

static __always_inline __u16 rescale_window(__u16 window, __u8 from, __u8 to)
{
    __u64 scaled = ((__u64)window << from) >> to;
    if (scaled > 0xffff)
        return 0xffff;
    if (scaled == 0 && window != 0)
        return 1;
    return scaled;
}

/* Pushes the punt VLAN tag after the MAC addresses: the switch sends the frame to the controller,
 * which takes the tag off (PuntTag). If the frame cannot grow, it is dropped rather than passed
 * untagged, which would let the switch's own rules deliver it unmapped; TCP sends it again. */
static __always_inline int punt(struct xdp_md *ctx)
{
    if (bpf_xdp_adjust_head(ctx, -4))
        return XDP_DROP;
    __u8 *data = (void *)(long)ctx->data;
    __u8 *end = (void *)(long)ctx->data_end;
    if (data + 18 > end)
        return XDP_DROP;
    __u8 macs[12];
    __builtin_memcpy(macs, data + 4, 12);
    __builtin_memcpy(data, macs, 12);
    data[12] = 0x81;
    data[13] = 0x00;
    data[14] = PUNT_VLAN >> 8;
    data[15] = PUNT_VLAN & 0xff;
    return XDP_PASS;
}

SEC("xdp")
int splice_xdp(struct xdp_md *ctx)
{
    __u8 *data = (void *)(long)ctx->data;
    __u8 *end = (void *)(long)ctx->data_end;

    struct ethhdr *eth = (void *)data;
    if ((void *)(eth + 1) > (void *)end)
        return XDP_PASS;
    if (eth->h_proto == bpf_htons(ETH_P_8021Q)) {
        /* Only this program may send frames to the controller with the punt tag. */
        if (data + 16 <= end && (((data[14] & 0x0f) << 8) | data[15]) == PUNT_VLAN)
            return XDP_DROP;
        return XDP_PASS;
    }
    if (eth->h_proto != bpf_htons(ETH_P_IP))
        return XDP_PASS;
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > (void *)end || ip->version != 4 || ip->ihl < 5 || ip->protocol != 6 /* TCP */)
        return XDP_PASS;
    if (bpf_ntohs(ip->frag_off) & 0x1fff)
        return XDP_PASS; /* a later fragment: no ports to look up (alone it never completes a datagram) */
    __u8 *ports = (__u8 *)ip + ip->ihl * 4;
    if (ports + 4 > end)
        return XDP_PASS;
    struct splice_key key = {
        .src_ip = ip->saddr, .dst_ip = ip->daddr,
        .src_port = *(__u16 *)ports, .dst_port = *(__u16 *)(ports + 2),
    };
    struct splice_entry *e = bpf_map_lookup_elem(&splice_entries, &key);
    if (!e)
        return XDP_PASS;
    /* A tuple of a splice: from here on, whatever this program does not translate is the controller's. */
    if (e->flags & SPLICE_TAG_ONLY)
        return punt(ctx);
    if (ip->ihl != 5)
        return punt(ctx); /* IP options */
    __u16 total = bpf_ntohs(ip->tot_len);
    if (total < 40 || (__u8 *)ip + total > end || (bpf_ntohs(ip->frag_off) & 0x2000))
        return punt(ctx);
    __u8 *tcp = (__u8 *)(ip + 1);
    if (tcp + 20 > end)
        return punt(ctx);
    __u32 doff = (tcp[12] >> 4) * 4;
    if (doff < 20 || doff > total - 20u || tcp + doff > end)
        return punt(ctx);
    __u8 flags = tcp[13] & 0x3f;
    /* SYNs, and the ends of a connection: the controller's teardown must see every FIN and RST. */
    if (flags & (TCP_SYN | TCP_FIN | TCP_RST))
        return punt(ctx);

    /* The options Linux puts on almost every segment once timestamps are on: NOP, NOP, timestamp.
     * Recognized in place and rewritten through packet pointers: the general walk below and the
     * helpers it needs took about half of the program's time per translated packet. The walk would
     * find the same (timestamp at 22, no SACK), so the result is the same. */
    int plain_ts = doff == 32 && tcp + 32 <= end
            && tcp[20] == 1 && tcp[21] == 1 && tcp[22] == 8 && tcp[23] == 10;

    /* Pass 1 over any other options (copied out of the packet; parsed in a bpf_loop callback, which
     * the verifier checks once): where the timestamp and SACK options are; anything odd, punt. */
    struct options opt = {.len = doff - 20, .ts_off = -1, .sack_off = -1};
    if (plain_ts) {
        opt.ts_off = 22;
    } else if (opt.len > 0) {
        if (copy_options(ctx, opt.bytes, opt.len))
            return punt(ctx);
        bpf_loop(MAX_OPTION_BYTES, parse_option, &opt, 0);
        if (opt.bad)
            return punt(ctx);
    }
    int ts_off = opt.ts_off, sack_off = opt.sack_off, sack_blocks = opt.sack_blocks;

    __u32 seq = load32(tcp + 4), ack = load32(tcp + 8);
    int has_ack = flags & TCP_ACK;
    if (e->flags & SPLICE_RETIRED_END) {
        /* PayloadMapper's forward-unchanged case for an end that let go: within what it sent and
         * received before, it goes on as it is; past that (a stray) the controller drops it. */
        __u32 payload = total - 20 - doff;
        if ((__s32)(seq + payload - e->handoff_seq) > 0 || (has_ack && (__s32)(ack - e->handoff_ack) > 0))
            return punt(ctx);
        return XDP_PASS;
    }
    if ((__s32)(seq - e->handoff_seq) < 0 || (has_ack && (__s32)(ack - e->handoff_ack) < 0))
        return punt(ctx); /* an older range: the controller maps it */
    if (has_ack && ack == e->handoff_ack && total == 20 + doff && e->punt_acks) {
        /* The target acknowledges the forwarded request: the controller copies that to the forwarder.
         * Only payload-free acks: the target's first data segments carry the same ack, and sent the
         * slow way they were overtaken by the next ones (a spurious fast retransmit on every handoff).
         * (Not atomic: two CPUs may both count down, and one more packet goes the slow way.) */
        e->punt_acks--;
        return punt(ctx);
    }

    __u32 now = bpf_ktime_get_coarse_ns() / 1000000000ULL;
    now += !now; /* 0 in last_seen means never: the clock's second 0 is written as 1 */
    if (e->last_seen != now)
        e->last_seen = now; /* one store a second, not one a packet: the value stays in every CPU's cache */

    __builtin_memcpy(eth->h_dest, e->dst_mac, 6);
    __builtin_memcpy(eth->h_source, e->src_mac, 6);

    __u32 old_src = bpf_ntohl(ip->saddr), old_dst = bpf_ntohl(ip->daddr);
    __u32 new_src = bpf_ntohl(e->new_src_ip), new_dst = bpf_ntohl(e->new_dst_ip);
    __u32 ipacc = (__u16)~bpf_ntohs(ip->check);
    ipacc = csum_replace32(ipacc, old_src, new_src, 0);
    ipacc = csum_replace32(ipacc, old_dst, new_dst, 0);
    ip->saddr = e->new_src_ip;
    ip->daddr = e->new_dst_ip;
    ip->check = bpf_htons(csum_finish(ipacc));

    __u32 acc = (__u16)~(((__u16)tcp[16] << 8) | tcp[17]);
    acc = csum_replace32(acc, old_src, new_src, 0);
    acc = csum_replace32(acc, old_dst, new_dst, 0);
    __u32 old_ports = load32(tcp);
    __u32 new_ports = ((__u32)bpf_ntohs(e->new_src_port) << 16) | bpf_ntohs(e->new_dst_port);
    acc = csum_replace32(acc, old_ports, new_ports, 0);
    store32(tcp, new_ports);

    acc = add32(tcp + 4, 4, e->seq_delta, acc);
    if (has_ack)
        acc = add32(tcp + 8, 8, e->ack_delta, acc);
    if (e->wscale_from != e->wscale_to) {
        __u16 old_window = ((__u16)tcp[14] << 8) | tcp[15];
        __u16 new_window = rescale_window(old_window, e->wscale_from & 15, e->wscale_to & 15);
        acc = csum_replace16(acc, old_window, new_window);
        tcp[14] = new_window >> 8;
        tcp[15] = new_window;
    }

    if (plain_ts) {
        if (tcp + 32 > end)
            return XDP_DROP; /* checked above; said again for the verifier */
        acc = add32(tcp + 24, 24, e->tsval_delta, acc);
        if (has_ack)
            acc = add32(tcp + 28, 28, e->tsecr_delta, acc);
        __u16 sum = csum_finish(acc);
        tcp[16] = sum >> 8;
        tcp[17] = sum & 0xff;
        return XDP_PASS;
    }

    /* Pass 2: the timestamp and SACK fields found in pass 1, through the helpers (variable offsets);
     * they invalidate packet pointers, so they come last, and so does the checksum they change. Pass 1
     * checked every bound, so they cannot fail; if one did, the frame is half rewritten: drop it. */
    const __u32 tcp_start = sizeof(struct ethhdr) + sizeof(struct iphdr);
    if (ts_off >= 0) {
        if (add32_at(ctx, tcp_start + ts_off + 2, ts_off + 2, e->tsval_delta, &acc))
            return XDP_DROP;
        if (has_ack && add32_at(ctx, tcp_start + ts_off + 6, ts_off + 6, e->tsecr_delta, &acc))
            return XDP_DROP;
    }
    if (sack_off >= 0 && has_ack) {
#pragma clang loop unroll(disable)
        for (int b = 0; b < 4; b++) {
            if (b >= sack_blocks)
                break;
            int off = sack_off + 2 + 8 * b;
            if (add32_at(ctx, tcp_start + off, off, e->ack_delta, &acc)
                    || add32_at(ctx, tcp_start + off + 4, off + 4, e->ack_delta, &acc))
                return XDP_DROP;
        }
    }
    __u16 csum = csum_finish(acc);
    __u8 c[2] = {csum >> 8, csum & 0xff};
    bpf_xdp_store_bytes(ctx, tcp_start + 16, c, 2);
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
