package org.tcpsplice.core.packet;

/**
 * The parser's verdict on a frame. Anything but {@link #OK} is left untranslated; the data path
 * lets it pass unchanged (or, for the XDP fast path, hands it to the controller's slow path).
 */
public enum FrameStatus {
    OK,
    TRUNCATED_ETHERNET,
    /** Not an untagged IPv4 frame (VLAN tags, IPv6, ARP ...). */
    NOT_IPV4,
    BAD_IP_VERSION,
    BAD_IP_HEADER_LENGTH,
    /** IP options are legal but unusual; the data path does not rewrite such packets. */
    IP_OPTIONS,
    TRUNCATED_IP,
    BAD_IP_TOTAL_LENGTH,
    FRAGMENT,
    NOT_TCP,
    BAD_TCP_DATA_OFFSET,
    TCP_OPTION_OVERRUN,
    BAD_TCP_OPTION_LENGTH,
    /** Two timestamp or two SACK options: no sane stack sends that, so nothing guesses which counts. */
    DUPLICATE_TCP_OPTION
}
