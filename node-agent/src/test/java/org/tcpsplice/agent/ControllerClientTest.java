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
}
