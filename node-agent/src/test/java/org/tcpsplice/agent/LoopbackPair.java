package org.tcpsplice.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** Two ends of one real TCP connection over loopback, for tests. */
final class LoopbackPair {
    private LoopbackPair() {
    }

    /** {connecting end, accepting end}. */
    static SocketChannel[] open() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel connecting = SocketChannel.open(listener.getLocalAddress());
            return new SocketChannel[] {connecting, listener.accept()};
        }
    }
}
