package org.tcpsplice.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's controller client against a scripted HTTP server on real loopback sockets (the server is
 * a fake: it answers each request with the next scripted response, and may close a connection after
 * answering, as an idle timeout would).
 */
class ControllerClientTest {
    private static final String OK = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{\"id\":\"s-1\"}";

    private ServerSocket listener;
    private final BlockingQueue<String> script = new LinkedBlockingQueue<>();
    /** Each request as received, prefixed with the number of the connection it came on. */
    private final List<String> received = new CopyOnWriteArrayList<>();
    /** Close the connection after answering this many requests on it (0: never). */
    private volatile int closeAfter;
    private ControllerClient client;

    @BeforeEach
    void startServer() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::serve, "scripted-controller");
        t.setDaemon(true);
        t.start();
        client = new ControllerClient("http://127.0.0.1:" + listener.getLocalPort() + "/tcpsplice/v1", "Bearer token-0123456789abcdef");
    }

    @AfterEach
    void stopServer() throws IOException {
        listener.close();
    }

    private void serve() {
        int connection = 0;
        while (true) {
            try (Socket s = listener.accept()) {
                connection++;
                HttpInput in = new HttpInput(s.getInputStream());
                OutputStream out = s.getOutputStream();
                int answered = 0;
                HttpInput.Request r;
                while ((r = in.readRequest()) != null) {
                    received.add(connection + " " + new String(r.raw, StandardCharsets.UTF_8));
                    out.write(script.take().getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    if (++answered == closeAfter) {
                        break;
                    }
                }
            } catch (IOException | InterruptedException e) {
                return;
            }
        }
    }

    @Test
    void postsTheHeadAndBodyItWasGivenAndReadsTheAnswer() throws IOException {
        script.add(OK);
        ControllerClient.Reply reply = client.post("handoffs", "{\"a\":1}");
        assertEquals(201, reply.status);
        assertEquals("{\"id\":\"s-1\"}", reply.body);
        assertEquals("1 POST /tcpsplice/v1/handoffs HTTP/1.1\r\nHost: 127.0.0.1:" + listener.getLocalPort()
                + "\r\nAuthorization: Bearer token-0123456789abcdef\r\nAccept: application/json\r\n"
                + "Content-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}", received.get(0));
    }

    @Test
    void keepsOneConnectionAcrossCalls() throws IOException {
        for (int i = 0; i < 3; i++) {
            script.add(OK);
            assertEquals(201, client.post("splices/ended", "{}").status);
        }
        assertEquals(3, received.size());
        assertTrue(received.stream().allMatch(r -> r.startsWith("1 POST /tcpsplice/v1/splices/ended ")), received.toString());
    }

    @Test
    void sendsAgainOnANewConnectionWhenTheControllerClosedTheIdleOne() throws Exception {
        closeAfter = 1;
        script.add(OK);
        client.post("splices/ended", "{}");
        Thread.sleep(100); // the server has closed connection 1 by now
        script.add("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        assertEquals(404, client.post("handoffs", "{}").status);
        assertEquals(2, received.size());
        assertTrue(received.get(1).startsWith("2 POST /tcpsplice/v1/handoffs "), received.get(1));
    }

    @Test
    void closesAConnectionIdleForLongerThanTheLimitAndTheNextCallOpensANewOne() throws IOException {
        script.add(OK);
        client.post("splices/ended", "{}");
        client.closeIdle(System.nanoTime()); // just used: kept
        script.add(OK);
        client.post("splices/ended", "{}");
        client.closeIdle(System.nanoTime() + ControllerClient.IDLE_LIMIT_NANOS + 1);
        script.add(OK);
        client.post("splices/ended", "{}");
        assertEquals(List.of("1", "1", "2"), received.stream().map(r -> r.split(" ")[0]).collect(Collectors.toList()));
    }

    @Test
    void decodesAChunkedBody() throws IOException {
        script.add("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3;x=y\r\n:1}\r\n0\r\n\r\n");
        assertEquals("{\"a\":1}", client.post("splices/ended", "{}").body);
    }

    @Test
    void refusesAControllerUrlThatIsNotPlainHttp() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ControllerClient("https://10.255.0.254:8181/tcpsplice/v1/", "t"));
        assertTrue(e.getMessage().contains("http://"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ControllerClient("10.255.0.254:8181", "t"));
    }

    @Test
    void anUnreachableControllerFailsWithAnIoError() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ControllerClient nobody = new ControllerClient("http://127.0.0.1:" + port + "/", "t");
        assertThrows(IOException.class, () -> nobody.post("handoffs", "{}"));
    }

    /** 503 as an ONOS instance answers that is not the switch's master: nothing changed. */
    private static final String STANDBY_BODY = "{\"code\":\"SWITCH_UNAVAILABLE\",\"message\":\"nothing was changed\"}";
    private static final String STANDBY = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + STANDBY_BODY.length() + "\r\n\r\n" + STANDBY_BODY;

    /** A fake instance answering every request with {@code response}; returns its port, counts requests in {@code count}. */
    private static int alwaysAnswering(String response, java.util.concurrent.atomic.AtomicInteger count) throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (true) {
                Socket c;
                try {
                    c = s.accept();
                } catch (IOException e) {
                    return;
                }
                Thread each = new Thread(() -> { // a connection each: clients keep theirs alive
                    try (c) {
                        HttpInput in = new HttpInput(c.getInputStream());
                        while (in.readRequest() != null) {
                            count.incrementAndGet();
                            c.getOutputStream().write(response.getBytes(StandardCharsets.UTF_8));
                        }
                    } catch (IOException ignored) {
                        // the client went
                    }
                });
                each.setDaemon(true);
                each.start();
            }
        }, "standby-instance");
        t.setDaemon(true);
        t.start();
        return s.getLocalPort();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void passesOverAnInstanceThatIsNotTheSwitchsMasterAndKeepsToTheOneThatAnswered() throws IOException {
        java.util.concurrent.atomic.AtomicInteger standbyCalls = new java.util.concurrent.atomic.AtomicInteger();
        int standby = alwaysAnswering(STANDBY, standbyCalls);
        ControllerClient cluster = new ControllerClient(List.of("http://127.0.0.1:" + standby + "/tcpsplice/v1",
                "http://127.0.0.1:" + listener.getLocalPort() + "/tcpsplice/v1"), "t");
        script.add(OK);
        script.add(OK);
        assertEquals(201, cluster.post("handoffs", "{}").status);
        assertEquals(201, cluster.post("handoffs", "{}").status);
        assertEquals(1, standbyCalls.get(), "the second call goes to the instance that answered the first");
        assertEquals(2, received.size());
    }

    @Test
    void passesOverAnInstanceThatDoesNotAcceptTheConnection() throws IOException {
        ControllerClient cluster = new ControllerClient(List.of("http://127.0.0.1:" + closedPort() + "/",
                "http://127.0.0.1:" + listener.getLocalPort() + "/tcpsplice/v1"), "t");
        script.add(OK);
        assertEquals(201, cluster.post("handoffs", "{}").status);
    }

    @Test
    void withEveryInstanceRefusingTheAnswerIsTheRefusal() throws IOException {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        int standby = alwaysAnswering(STANDBY, calls);
        ControllerClient cluster = new ControllerClient(List.of("http://127.0.0.1:" + closedPort() + "/",
                "http://127.0.0.1:" + standby + "/"), "t");
        assertEquals(503, cluster.post("handoffs", "{}").status);
        ControllerClient alone = new ControllerClient("http://127.0.0.1:" + standby + "/", "t");
        assertEquals(503, alone.post("handoffs", "{}").status);
        assertEquals(2, calls.get());
    }
}
