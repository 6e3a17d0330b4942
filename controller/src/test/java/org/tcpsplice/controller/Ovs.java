package org.tcpsplice.controller;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test helper driving the real Open vSwitch on this machine (userspace datapath) through its own
 * command-line tools. Needs OVS started (scripts/setup.sh does it); fails loudly when it is not.
 */
public final class Ovs implements AutoCloseable {
    public final String bridge;

    private Ovs(String bridge) {
        this.bridge = bridge;
    }

    /** A fresh OpenFlow 1.3 bridge, datapath netdev, fail-mode secure, pointed at the controller port. */
    public static Ovs bridge(String name, int controllerPort) {
        run("ovs-vsctl", "--if-exists", "del-br", name);
        run("ovs-vsctl", "add-br", name, "--", "set", "bridge", name, "datapath_type=netdev", "protocols=OpenFlow13",
                "fail-mode=secure", "--", "set-controller", name, "tcp:127.0.0.1:" + controllerPort);
        return new Ovs(name);
    }

    /** The flows of table 0 as ovs-ofctl prints them without statistics, one string per flow. */
    public List<String> flows() {
        List<String> flows = new ArrayList<>();
        for (String line : run("ovs-ofctl", "-O", "OpenFlow13", "--no-stats", "dump-flows", bridge).split("\n")) {
            if (!line.isBlank() && !line.startsWith("OFPST")) {
                flows.add(line.trim());
            }
        }
        return flows;
    }

    public void disconnectController() {
        run("ovs-vsctl", "del-controller", bridge);
    }

    public void connectController(int port) {
        run("ovs-vsctl", "set-controller", bridge, "tcp:127.0.0.1:" + port);
    }

    public static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out
                        + (out.contains("database connection failed") ? " (is OVS started? run scripts/setup.sh)" : ""));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + Arrays.toString(command) + ": " + e.getMessage()
                    + " (install and start Open vSwitch: scripts/setup.sh)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        run("ovs-vsctl", "--if-exists", "del-br", bridge);
    }
}
