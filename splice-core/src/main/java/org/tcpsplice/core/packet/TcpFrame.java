package org.tcpsplice.core.packet;

/**
 * A parsed view of an Ethernet + IPv4 + TCP frame in a byte array: offsets only, no copies,
 * reusable from packet to packet (one per thread), so the data path allocates nothing.
 *
 * <p>{@link #parse} checks every length before reading it: any byte array, however short or
 * hostile, yields a {@link FrameStatus} and never an exception or an out-of-bounds read.
 */
public final class TcpFrame {
    public static final int ETHERNET_HEADER = 14;
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int TCP_OPTION_TIMESTAMP = 8;
    public static final int TCP_OPTION_SACK = 5;

    byte[] buf;
    int frameOffset;
    int ipOffset;
    int ipTotalLength;
    int tcpOffset;
    int tcpHeaderLength;
    /** Offset of the timestamp option's kind byte, or -1. */
    int timestampOption = -1;
    /** Offset of the SACK option's kind byte, or -1, and how many blocks it holds. */
    int sackOption = -1;
    int sackBlocks;

    /** Parses the frame at {@code buf[offset .. offset+length)}. Bytes past the IP total length (padding) are ignored. */
    public FrameStatus parse(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.frameOffset = offset;
        timestampOption = -1;
        sackOption = -1;
        sackBlocks = 0;
        if (offset < 0 || length < 0 || offset > buf.length - length) {
            return FrameStatus.TRUNCATED_ETHERNET;
        }
        if (length < ETHERNET_HEADER) {
            return FrameStatus.TRUNCATED_ETHERNET;
        }
        if (Bytes.u16(buf, offset + 12) != ETHERTYPE_IPV4) {
            return FrameStatus.NOT_IPV4;
        }
        int ip = offset + ETHERNET_HEADER;
        int ipRoom = length - ETHERNET_HEADER;
        if (ipRoom < 20) {
            return FrameStatus.TRUNCATED_IP;
        }
        int versionIhl = buf[ip] & 0xFF;
        if ((versionIhl >>> 4) != 4) {
            return FrameStatus.BAD_IP_VERSION;
        }
        int ihl = (versionIhl & 0x0F) * 4;
        if (ihl < 20) {
            return FrameStatus.BAD_IP_HEADER_LENGTH;
        }
        if (ihl > 20) {
            return FrameStatus.IP_OPTIONS;
        }
        int total = Bytes.u16(buf, ip + 2);
        if (total < ihl) {
            return FrameStatus.BAD_IP_TOTAL_LENGTH;
        }
        if (total > ipRoom) {
            return FrameStatus.TRUNCATED_IP;
        }
        int fragment = Bytes.u16(buf, ip + 6);
        if ((fragment & 0x3FFF) != 0) { // MF flag or a fragment offset
            return FrameStatus.FRAGMENT;
        }
        if ((buf[ip + 9] & 0xFF) != 6) {
            return FrameStatus.NOT_TCP;
        }
        int tcp = ip + ihl;
        int tcpRoom = total - ihl;
        if (tcpRoom < 20) {
            return FrameStatus.BAD_TCP_DATA_OFFSET;
        }
        int dataOffset = ((buf[tcp + 12] & 0xFF) >>> 4) * 4;
        if (dataOffset < 20 || dataOffset > tcpRoom) {
            return FrameStatus.BAD_TCP_DATA_OFFSET;
        }
        this.ipOffset = ip;
        this.ipTotalLength = total;
        this.tcpOffset = tcp;
        this.tcpHeaderLength = dataOffset;
        return parseOptions(tcp + 20, tcp + dataOffset);
    }

    private FrameStatus parseOptions(int at, int end) {
        while (at < end) {
            int kind = buf[at] & 0xFF;
            if (kind == 0) { // end of option list
                break;
            }
            if (kind == 1) { // no-operation
                at++;
                continue;
            }
            if (at + 1 >= end) {
                return FrameStatus.TCP_OPTION_OVERRUN;
            }
            int len = buf[at + 1] & 0xFF;
            if (len < 2) {
                return FrameStatus.BAD_TCP_OPTION_LENGTH;
            }
            if (at + len > end) {
                return FrameStatus.TCP_OPTION_OVERRUN;
            }
            if (kind == TCP_OPTION_TIMESTAMP) {
                if (len != 10) {
                    return FrameStatus.BAD_TCP_OPTION_LENGTH;
                }
                if (timestampOption >= 0) {
                    return FrameStatus.DUPLICATE_TCP_OPTION;
                }
                timestampOption = at;
            } else if (kind == TCP_OPTION_SACK) {
                if (len < 10 || (len - 2) % 8 != 0) {
                    return FrameStatus.BAD_TCP_OPTION_LENGTH;
                }
                if (sackOption >= 0) {
                    return FrameStatus.DUPLICATE_TCP_OPTION;
                }
                sackOption = at;
                sackBlocks = (len - 2) / 8;
            }
            at += len;
        }
        return FrameStatus.OK;
    }

    // ---- field access, valid after parse() returned OK ----

    public int srcIp() {
        return Bytes.u32(buf, ipOffset + 12);
    }

    public int dstIp() {
        return Bytes.u32(buf, ipOffset + 16);
    }

    public int srcPort() {
        return Bytes.u16(buf, tcpOffset);
    }

    public int dstPort() {
        return Bytes.u16(buf, tcpOffset + 2);
    }

    public int seq() {
        return Bytes.u32(buf, tcpOffset + 4);
    }

    public int ack() {
        return Bytes.u32(buf, tcpOffset + 8);
    }

    public int flags() {
        return buf[tcpOffset + 13] & 0x3F;
    }

    public int window() {
        return Bytes.u16(buf, tcpOffset + 14);
    }

    public int payloadLength() {
        return ipTotalLength - (tcpOffset - ipOffset) - tcpHeaderLength;
    }

    /** Sequence space the segment occupies: payload plus one each for SYN and FIN. */
    public int segmentLength() {
        int f = flags();
        return payloadLength() + ((f & TcpFlags.SYN) != 0 ? 1 : 0) + ((f & TcpFlags.FIN) != 0 ? 1 : 0);
    }

    public boolean hasTimestamps() {
        return timestampOption >= 0;
    }

    public int tsval() {
        return Bytes.u32(buf, timestampOption + 2);
    }

    public int tsecr() {
        return Bytes.u32(buf, timestampOption + 6);
    }

    public int sackBlockCount() {
        return sackBlocks;
    }

    /** Left edge of SACK block i (right edge: {@link #sackRight}). */
    public int sackLeft(int i) {
        return Bytes.u32(buf, sackOption + 2 + 8 * i);
    }

    public int sackRight(int i) {
        return Bytes.u32(buf, sackOption + 6 + 8 * i);
    }

    public long srcMac() {
        return mac(frameOffset + 6);
    }

    public long dstMac() {
        return mac(frameOffset);
    }

    private long mac(int at) {
        return ((long) Bytes.u16(buf, at) << 32) | (Bytes.u32(buf, at + 2) & 0xFFFF_FFFFL);
    }

    /** True when the IPv4 header and TCP checksums are both right. */
    public boolean checksumsValid() {
        int segment = ipTotalLength - (tcpOffset - ipOffset);
        return Checksum.ipv4Header(buf, ipOffset, tcpOffset - ipOffset) == Bytes.u16(buf, ipOffset + 10)
                && Checksum.tcp(buf, ipOffset, tcpOffset, segment) == Bytes.u16(buf, tcpOffset + 16);
    }
}
