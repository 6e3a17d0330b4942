package org.tcpsplice.controller.rest;

import org.tcpsplice.api.AsyncSpliceService;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import org.glassfish.jersey.server.ContainerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.tcpsplice.api.SpliceService;
import org.tcpsplice.api.web.NodeCredentials;
import org.tcpsplice.api.web.RestComponents;

/** The standalone controller's REST API on the JDK's HTTP server: Jersey, with {@link HandoffLane} in front. */
public final class RestServer {
    /**
     * The lane's handoffs hold no thread while they wait for their commit; Jersey's requests do (a
     * handoff sent another way among them), so a few threads are kept for those.
     */
    private static final int THREADS = 16;
    /** Jersey logs through java.util.logging; its start-up chatter (WADL, JAXB, instance resources) is noise here. */
    private static final java.util.logging.Logger JERSEY_LOG = java.util.logging.Logger.getLogger("org.glassfish");

    static {
        JERSEY_LOG.setLevel(java.util.logging.Level.SEVERE);
        // The JDK's HTTP server leaves Nagle on by default, so a response written in pieces can wait for
        // the client's delayed ACK. (On these machines the difference was within the noise.)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private RestServer() {
    }

    /** Serves the API under {@code basePath} (ending in '/') on {@code address}, started. */
    public static HttpServer start(InetSocketAddress address, String basePath, AsyncSpliceService service,
                                   NodeCredentials credentials, int bodyLimit) throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        server.createContext(basePath, new HandoffLane(basePath + "handoffs", service, credentials, bodyLimit,
                jersey(service, credentials, bodyLimit)));
        server.setExecutor(Executors.newFixedThreadPool(THREADS));
        server.start();
        return server;
    }

    /** Jersey serving every resource of the API, as a JDK HTTP handler. */
    static HttpHandler jersey(SpliceService service, NodeCredentials credentials, int bodyLimit) {
        ResourceConfig resources = new ResourceConfig();
        RestComponents.all(service, credentials, bodyLimit).forEach(resources::register);
        return ContainerFactory.createContainer(HttpHandler.class, resources);
    }
}
