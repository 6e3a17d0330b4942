package org.tcpsplice.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.tcpsplice.core.map.MappingDecision;
import org.tcpsplice.core.map.PayloadMapper;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.packet.TcpFlags;

/**
 * Fig. 5 lookup (level-1 match, level-2 walk) over N live splices, hitting splices in a scattered
 * order so that large tables pay their cache misses as a real switch would.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LookupBenchmark {
    @Param({"1", "1000", "1000000"})
    public int splices;

    private PayloadMapper mapper;
    private int[] srcIps;
    private int[] srcPorts;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        SpliceTables tables = Splices.fill(splices);
        mapper = new PayloadMapper(tables);
        int probes = 1 << 16;
        srcIps = new int[probes];
        srcPorts = new int[probes];
        java.util.Random r = new java.util.Random(42);
        for (int i = 0; i < probes; i++) {
            FourTuple c = Splices.client(r.nextInt(splices));
            srcIps[i] = c.srcIp;
            srcPorts[i] = c.srcPort;
        }
    }

    @Benchmark
    public MappingDecision lookup() {
        int i = next++ & (srcIps.length - 1);
        return mapper.map(srcIps[i], srcPorts[i], Splices.SERVICE, 80, 1_000_000, 1_000_000, TcpFlags.ACK, 100);
    }
}
