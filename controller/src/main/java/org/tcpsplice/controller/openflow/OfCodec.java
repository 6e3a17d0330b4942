package org.tcpsplice.controller.openflow;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.MessageToByteEncoder;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** OpenFlow framing on a TCP stream: every message starts with version, type and a 16-bit length. */
final class OfCodec {
    private static final Logger LOG = LoggerFactory.getLogger(OfCodec.class);

    private OfCodec() {
    }

    /** Splits the stream at each header's length and parses the message with openflowj. */
    static final class Decoder extends LengthFieldBasedFrameDecoder {
        Decoder() {
            super(0xFFFF, 2, 2, -4, 0);
        }

        @Override
        protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
            ByteBuf frame = (ByteBuf) super.decode(ctx, in);
            if (frame == null) {
                return null;
            }
            try {
                OFMessage msg = OFFactories.getGenericReader().readFrom(frame);
                if (msg == null) {
                    LOG.warn("switch {} sent a message openflowj cannot read; skipped", ctx.channel().remoteAddress());
                }
                return msg;
            } catch (OFParseError e) {
                LOG.warn("switch {} sent an unparseable message: {}", ctx.channel().remoteAddress(), e.getMessage());
                return null;
            } finally {
                frame.release();
            }
        }
    }

    static final class Encoder extends MessageToByteEncoder<OFMessage> {
        @Override
        protected void encode(ChannelHandlerContext ctx, OFMessage msg, ByteBuf out) {
            msg.writeTo(out);
        }
    }
}
