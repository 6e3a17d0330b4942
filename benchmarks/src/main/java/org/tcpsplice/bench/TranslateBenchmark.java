package org.tcpsplice.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.tcpsplice.core.PacketVerdict;
import org.tcpsplice.core.SpliceSwitch;
import org.tcpsplice.core.distribution.NodeDistribution;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.packet.FrameStatus;
import org.tcpsplice.core.packet.PacketTranslator;
import org.tcpsplice.core.packet.TcpFlags;
import org.tcpsplice.core.packet.TcpFrame;
import org.tcpsplice.core.teardown.TeardownPolicy;
import org.tcpsplice.core.testing.Figure2;
import org.tcpsplice.core.testing.FrameBuilder;

/**
 * Per-packet cost on one thread, for a 66-byte frame (Ethernet 14 + IPv4 20 + TCP 20 + NOP NOP TS 12):
 * {@code translate}: parse and rewrite by a known entry; {@code switchPath}: the controller's whole
 * slow-path step (parse, Fig. 5 lookup and range walk, teardown bookkeeping, rewrite).
 * Each operation first copies the original 66 bytes back, so every packet is translated afresh.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TranslateBenchmark {
    private byte[] template;
    private final byte[] work = new byte[66];
    private final TcpFrame frame = new TcpFrame();
    private Level2Entry entry;
    private SpliceSwitch sw;

    @Setup
    public void setUp() {
        Figure2 fig = Figure2.afterBothHandoffs();
        entry = fig.tables.level2Table(Figure2.CLIENT_KEY);
        template = FrameBuilder.tcp(Figure2.CLIENT, Figure2.CLIENT_PORT, Figure2.SERVICE, Figure2.HTTP)
                .seq(9500).ack(10500).flags(TcpFlags.ACK).timestamps(1_003_500, 505_100).build();
        if (template.length != 66) {
            throw new IllegalStateException("frame is " + template.length + " bytes, not 66");
        }
        sw = new SpliceSwitch(fig.tables, t -> NodeDistribution.NOT_DISTRIBUTED, TeardownPolicy.defaults(),
                System::currentTimeMillis);
    }

    @Benchmark
    public int translate() {
        System.arraycopy(template, 0, work, 0, 66);
        if (frame.parse(work, 0, 66) != FrameStatus.OK) {
            throw new IllegalStateException();
        }
        PacketTranslator.translate(frame, entry);
        return work[40];
    }

    @Benchmark
    public PacketVerdict switchPath() {
        System.arraycopy(template, 0, work, 0, 66);
        return sw.onPacket(work, 0, 66, frame);
    }
}
