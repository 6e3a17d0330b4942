package org.tcpsplice.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Response bodies moved socket to socket by splice(2), on real loopback (and Unix) sockets: a web server's
 * response reaches the client byte for byte, and the long body goes through the kernel relay, not the
 * agent's buffer. No fakes.
 */
class KernelRelayTest {
    private SocketChannel webServer;     // the agent's connection to the web server
    private SocketChannel webServerEnd;  // the web server's end of it
    private SocketChannel client;        // the agent's connection from the client
    private SocketChannel clientEnd;     // the client's end of it

    @BeforeEach
    void connect() throws IOException {
        SocketChannel[] web = LoopbackPair.open();
        webServer = web[0];
        webServerEnd = web[1];
        SocketChannel[] c = LoopbackPair.open();
        clientEnd = c[0];
        client = c[1];
    }

    @AfterEach
    void closeAll() throws IOException {
        for (SocketChannel s : new SocketChannel[] {webServer, webServerEnd, client, clientEnd}) {
            s.close();
        }
    }

    /** What the web server sends, from another thread (the socket buffers are smaller than the body). */
    private CompletableFuture<Void> serve(byte[] response, int send) {
        return CompletableFuture.runAsync(() -> {
            try {
                webServerEnd.write(ByteBuffer.wrap(response, 0, send));
                webServerEnd.shutdownOutput();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    /** Everything the client receives until the agent's side closes. */
    private CompletableFuture<byte[]> receive() {
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Channels.newInputStream(clientEnd)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    private static byte[] response(int bodyLength) {
        byte[] body = new byte[bodyLength];
        new Random(7).nextBytes(body);
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Length: " + bodyLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(head);
        all.writeBytes(body);
        return all.toByteArray();
    }

    @Test
    void aLongBodyGoesThroughTheKernelByteForByte() throws Exception {
        byte[] response = response(3 * 1024 * 1024 + 17);
        CompletableFuture<Void> served = serve(response, response.length);
        CompletableFuture<byte[]> received = receive();
        try (KernelRelay relay = new KernelRelay(LinuxTcp.fd(webServer), LinuxTcp.fd(client))) {
            HttpInput in = new HttpInput(Channels.newInputStream(webServer), () -> relay);
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(client));
            assertTrue(in.relayResponse(out, false));
            client.shutdownOutput();
            served.get();
            assertArrayEquals(response, received.get(), "head and body, byte for byte");
            assertTrue(relay.moved() > 3 * 1024 * 1024 - 16 * 1024,
                    "all but what the head's read brought along went through the kernel: " + relay.moved());
        }
    }

    @Test
    void aLongBodyFromAUnixSocketGoesThroughTheKernel(@TempDir Path dir) throws Exception {
        // The web server behind a Unix socket (webServer "unix:/path"): splice(2) reads those too.
        webServer.close();
        webServerEnd.close();
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(dir.resolve("web.sock")));
            webServer = SocketChannel.open(listener.getLocalAddress());
            webServerEnd = listener.accept();
        }
        aLongBodyGoesThroughTheKernelByteForByte();
    }

    @Test
    void aShortBodyStaysWithItsHeadInTheBuffer() throws Exception {
        byte[] response = response(HttpInput.KERNEL_RELAY_MIN / 2);
        CompletableFuture<Void> served = serve(response, response.length);
        CompletableFuture<byte[]> received = receive();
        try (KernelRelay relay = new KernelRelay(LinuxTcp.fd(webServer), LinuxTcp.fd(client))) {
            HttpInput in = new HttpInput(Channels.newInputStream(webServer), () -> relay);
            assertTrue(in.relayResponse(new BufferedOutputStream(Channels.newOutputStream(client)), false));
            client.shutdownOutput();
            served.get();
            assertArrayEquals(response, received.get());
            assertEquals(0, relay.moved());
        }
    }

    @Test
    void aBodyCutShortIsAnError() throws Exception {
        byte[] response = response(1024 * 1024);
        CompletableFuture<Void> served = serve(response, response.length - 1000);
        receive();
        try (KernelRelay relay = new KernelRelay(LinuxTcp.fd(webServer), LinuxTcp.fd(client))) {
            HttpInput in = new HttpInput(Channels.newInputStream(webServer), () -> relay);
            HttpInput.BadMessage e = assertThrows(HttpInput.BadMessage.class,
                    () -> in.relayResponse(new BufferedOutputStream(Channels.newOutputStream(client)), false));
            assertTrue(e.getMessage().contains("1000 bytes before the end"), e.getMessage());
            served.get();
        }
    }
}
