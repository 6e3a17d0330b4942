/*
 * Runs splice-core's shared test vectors through the XDP program with BPF_PROG_TEST_RUN (no network),
 * its map loaded with the vector's "map" lines. By the vector's "fastpath" line the program must
 * produce the Java translator's frame byte for byte (translate), the input with the punt VLAN tag
 * inserted after the MACs (tag), the input unchanged (pass), or drop it (drop). Needs root.
 *   check_vectors splice_xdp.o ../../test-vectors/translator-vectors.txt
 * With --dump instead of the object it prints the map elements it would load ("key HEX value HEX"),
 * which check-vectors.sh compares with the Java controller's encoding of the same entries.
 */
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "splice_xdp.h"

#define MAX_FRAME 2048
#define MAX_KEYS 16

struct vector {
    char name[128];
    struct splice_key keys[MAX_KEYS];
    struct splice_entry entries[MAX_KEYS];
    int nkeys;
    /* The map: its keys and values, built from the "map" lines (and a translating key's entry). */
    struct splice_key map_keys[MAX_KEYS];
    struct splice_entry map_values[MAX_KEYS];
    int nmap;
    unsigned char in[MAX_FRAME], out[MAX_FRAME];
    int in_len, out_len;
    enum { TRANSLATE, TAG, PASS, DROP } action;
};

static long long field(const char *line, const char *name)
{
    char pattern[64];
    snprintf(pattern, sizeof pattern, " %s=", name);
    const char *at = strstr(line, pattern);
    if (!at) {
        fprintf(stderr, "missing field %s in: %s\n", name, line);
        exit(2);
    }
    return strtoll(at + strlen(pattern), NULL, 10);
}

static void endpoint(const char *line, const char *name, __u32 *ip, __u16 *port)
{
    char pattern[64];
    unsigned a, b, c, d, p;
    snprintf(pattern, sizeof pattern, " %s=", name);
    const char *at = strstr(line, pattern);
    if (!at || sscanf(at + strlen(pattern), "%u.%u.%u.%u:%u", &a, &b, &c, &d, &p) != 5) {
        fprintf(stderr, "bad %s in: %s\n", name, line);
        exit(2);
    }
    *ip = htonl(a << 24 | b << 16 | c << 8 | d);
    *port = htons(p);
}

static void mac(const char *line, const char *name, __u8 *to)
{
    char pattern[64];
    snprintf(pattern, sizeof pattern, " %s=", name);
    const char *at = strstr(line, pattern);
    if (!at || sscanf(at + strlen(pattern), "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &to[0], &to[1], &to[2], &to[3], &to[4],
                      &to[5]) != 6) {
        fprintf(stderr, "bad %s in: %s\n", name, line);
        exit(2);
    }
}

static int hex(const char *text, unsigned char *to)
{
    int n = 0;
    while (text[0] && text[1] && text[0] != '\n' && n < MAX_FRAME) {
        unsigned v;
        sscanf(text, "%2x", &v);
        to[n++] = v;
        text += 2;
    }
    return n;
}

static struct splice_key parse_key(const char *text, const char *line)
{
    unsigned a, b, c, d, p, e, f, g, h, q;
    if (sscanf(text, "%u.%u.%u.%u:%u->%u.%u.%u.%u:%u", &a, &b, &c, &d, &p, &e, &f, &g, &h, &q) != 10) {
        fprintf(stderr, "bad key: %s\n", line);
        exit(2);
    }
    struct splice_key key = {htonl(a << 24 | b << 16 | c << 8 | d), htonl(e << 24 | f << 16 | g << 8 | h), htons(p),
                             htons(q)};
    return key;
}

/* One entry line: the first line of a key is its newest entry, the only one the fast path can hold. */
static void add_entry(struct vector *v, const char *line)
{
    struct splice_key key = parse_key(line + 6, line);
    for (int i = 0; i < v->nkeys; i++)
        if (!memcmp(&v->keys[i], &key, sizeof key))
            return; /* an older entry of a key already seen */
    if (v->nkeys == MAX_KEYS) {
        fprintf(stderr, "too many keys in %s\n", v->name);
        exit(2);
    }
    struct splice_entry *en = &v->entries[v->nkeys];
    memset(en, 0, sizeof *en);
    en->handoff_seq = (__u32)field(line, "handoff_seq");
    en->handoff_ack = (__u32)field(line, "handoff_ack");
    en->seq_delta = (__s32)field(line, "seq_delta");
    en->ack_delta = (__s32)field(line, "ack_delta");
    en->tsval_delta = (__s32)field(line, "tsval_delta");
    en->tsecr_delta = (__s32)field(line, "tsecr_delta");
    endpoint(line, "new_src", &en->new_src_ip, &en->new_src_port);
    endpoint(line, "new_dst", &en->new_dst_ip, &en->new_dst_port);
    mac(line, "src_mac", en->src_mac);
    mac(line, "dst_mac", en->dst_mac);
    en->wscale_from = (__u8)field(line, "wscale_from");
    en->wscale_to = (__u8)field(line, "wscale_to");
    en->punt_acks = field(line, "toward_client") ? FORWARDER_ACKS : 0;
    v->keys[v->nkeys] = key;
    v->nkeys++;
}

/* One map line: "map KEY translate" (by the key's newest entry, listed above it), "map KEY retired
 * last_seq=N last_ack=M" or "map KEY tag". */
static void add_map_element(struct vector *v, const char *line)
{
    struct splice_key key = parse_key(line + 4, line);
    if (v->nmap == MAX_KEYS) {
        fprintf(stderr, "too many map lines in %s\n", v->name);
        exit(2);
    }
    struct splice_entry *value = &v->map_values[v->nmap];
    memset(value, 0, sizeof *value);
    if (strstr(line, " translate")) {
        int i = 0;
        while (i < v->nkeys && memcmp(&v->keys[i], &key, sizeof key))
            i++;
        if (i == v->nkeys) {
            fprintf(stderr, "%s: no entry for the translating key in: %s\n", v->name, line);
            exit(2);
        }
        *value = v->entries[i];
    } else if (strstr(line, " retired ")) {
        value->flags = SPLICE_RETIRED_END;
        value->handoff_seq = (__u32)field(line, "last_seq");
        value->handoff_ack = (__u32)field(line, "last_ack");
    } else if (strstr(line, " tag")) {
        value->flags = SPLICE_TAG_ONLY;
    } else {
        fprintf(stderr, "bad map line: %s\n", line);
        exit(2);
    }
    v->map_keys[v->nmap++] = key;
}

static const char *ACTIONS[] = {"translated", "tagged for the controller", "passed untouched", "dropped"};

static int run(int prog, int map, struct vector *v)
{
    for (int i = 0; i < v->nmap; i++)
        if (bpf_map_update_elem(map, &v->map_keys[i], &v->map_values[i], BPF_ANY)) {
            perror("map update");
            return -1;
        }
    /* Room for the tag the program may push. */
    unsigned char out[MAX_FRAME + 4];
    LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = v->in, .data_size_in = v->in_len, .data_out = out,
                .data_size_out = sizeof out, .repeat = 1);
    int err = bpf_prog_test_run_opts(prog, &opts);
    /* The entry that translated notes when (last_seen, for the controller's idle check); no other does. */
    int noted = 0;
    for (int i = 0; i < v->nmap; i++) {
        struct splice_entry after;
        if (!bpf_map_lookup_elem(map, &v->map_keys[i], &after) && after.last_seen)
            noted++;
        bpf_map_delete_elem(map, &v->map_keys[i]);
    }
    if (err) {
        perror("BPF_PROG_TEST_RUN");
        return -1;
    }
    unsigned want_verdict = v->action == DROP ? XDP_DROP : XDP_PASS;
    if (opts.retval != want_verdict) {
        printf("FAIL %s: verdict %u, want %u (%s)\n", v->name, opts.retval, want_verdict, ACTIONS[v->action]);
        return 1;
    }
    if (noted != (v->action == TRANSLATE)) {
        printf("FAIL %s: %d entries noted a translation (%s)\n", v->name, noted, ACTIONS[v->action]);
        return 1;
    }
    if (v->action == DROP) {
        printf("ok   %s (%s)\n", v->name, ACTIONS[v->action]);
        return 0;
    }
    unsigned char want[MAX_FRAME + 4];
    int want_len;
    if (v->action == TRANSLATE) {
        memcpy(want, v->out, v->out_len);
        want_len = v->out_len;
    } else if (v->action == TAG) {
        const unsigned char tag[4] = {0x81, 0x00, PUNT_VLAN >> 8, PUNT_VLAN & 0xff};
        memcpy(want, v->in, 12);
        memcpy(want + 12, tag, 4);
        memcpy(want + 16, v->in + 12, v->in_len - 12);
        want_len = v->in_len + 4;
    } else {
        memcpy(want, v->in, v->in_len);
        want_len = v->in_len;
    }
    if ((int)opts.data_size_out != want_len) {
        printf("FAIL %s: %u bytes out, want %d (%s)\n", v->name, opts.data_size_out, want_len, ACTIONS[v->action]);
        return 1;
    }
    for (int i = 0; i < want_len; i++)
        if (out[i] != want[i]) {
            printf("FAIL %s: byte %d is %02x, want %02x (%s)\n", v->name, i, out[i], want[i], ACTIONS[v->action]);
            return 1;
        }
    printf("ok   %s (%s)\n", v->name, ACTIONS[v->action]);
    return 0;
}

static void print_hex(const void *p, int n)
{
    for (int i = 0; i < n; i++)
        printf("%02x", ((const unsigned char *)p)[i]);
}

int main(int argc, char **argv)
{
    int dump = argc == 3 && !strcmp(argv[1], "--dump");
    if (argc != 3) {
        fprintf(stderr, "usage: %s splice_xdp.o translator-vectors.txt\n", argv[0]);
        return 2;
    }
    int prog = -1, map = -1;
    if (!dump) {
        libbpf_set_print(NULL);
        struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
        if (!obj || bpf_object__load(obj)) {
            fprintf(stderr, "cannot load %s (root needed; is the kernel too old for bpf_loop?)\n", argv[1]);
            return 2;
        }
        prog = bpf_program__fd(bpf_object__find_program_by_name(obj, "splice_xdp"));
        map = bpf_object__find_map_fd_by_name(obj, "splice_entries");
    }
    FILE *f = fopen(argv[2], "r");
    if (!f) {
        perror(argv[2]);
        return 2;
    }
    static char line[8192];
    static struct vector v;
    int passed = 0, failed = 0;
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "vector ", 7)) {
            memset(&v, 0, sizeof v);
            sscanf(line + 7, "%127s", v.name);
        } else if (!strncmp(line, "entry ", 6)) {
            add_entry(&v, line);
        } else if (!strncmp(line, "map ", 4)) {
            add_map_element(&v, line);
        } else if (!strncmp(line, "in ", 3)) {
            v.in_len = hex(line + 3, v.in);
        } else if (!strncmp(line, "out ", 4)) {
            v.out_len = hex(line + 4, v.out);
        } else if (!strncmp(line, "fastpath ", 9)) {
            const char *a = line + 9;
            v.action = !strncmp(a, "translate", 9) ? TRANSLATE : !strncmp(a, "tag", 3) ? TAG
                     : !strncmp(a, "pass", 4) ? PASS : !strncmp(a, "drop", 4) ? DROP : -1;
            if ((int)v.action < 0) {
                fprintf(stderr, "bad fastpath line: %s", line);
                return 2;
            }
        } else if (!strncmp(line, "end", 3) && dump) {
            for (int i = 0; i < v.nmap; i++) {
                printf("key ");
                print_hex(&v.map_keys[i], sizeof v.map_keys[i]);
                printf(" value ");
                print_hex(&v.map_values[i], sizeof v.map_values[i]);
                printf("\n");
            }
        } else if (!strncmp(line, "end", 3)) {
            int r = run(prog, map, &v);
            if (r < 0)
                return 2;
            r ? failed++ : passed++;
        }
    }
    if (dump)
        return 0;
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
