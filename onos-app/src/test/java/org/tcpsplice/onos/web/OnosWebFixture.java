package org.tcpsplice.onos.web;

import java.lang.reflect.Field;
import java.security.Principal;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.SecurityContext;
import org.glassfish.jersey.server.ResourceConfig;
import org.onlab.osgi.TestServiceDirectory;
import org.onlab.rest.BaseResource;
import org.tcpsplice.onos.api.TcpSpliceService;

/**
 * The app's REST resources as ONOS serves them: the resource classes of {@link SpliceWebApplication}
 * in Jersey's servlet in Jetty 9.4 (ONOS 2.7's web container, with asynchronous requests on as the
 * app's web.xml asks), a fake of ONOS's login, and the manager published where ONOS's resources look
 * services up. Shared by the REST test here and the contract test.
 */
public final class OnosWebFixture {
    /** The header the fake login takes the ONOS user from. */
    public static final String USER_HEADER = "X-Test-User";
    /** The one test user without ONOS's admin role. */
    public static final String VIEWER = "viewer";

    private OnosWebFixture() {
    }

    /**
     * Stands in for ONOS's own authentication (a fake); like it, it runs before authorization. Every
     * user but {@link #VIEWER} has ONOS's admin role, which ONOS requires for writes.
     */
    @PreMatching
    @javax.annotation.Priority(javax.ws.rs.Priorities.AUTHENTICATION)
    public static final class FakeOnosLogin implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            String user = request.getHeaderString(USER_HEADER);
            if (user == null) {
                return;
            }
            request.setSecurityContext(new SecurityContext() {
                @Override
                public Principal getUserPrincipal() {
                    return () -> user;
                }

                @Override
                public boolean isUserInRole(String role) {
                    return !VIEWER.equals(user) && "admin".equals(role);
                }

                @Override
                public boolean isSecure() {
                    return false;
                }

                @Override
                public String getAuthenticationScheme() {
                    return "BASIC";
                }
            });
        }
    }

    /**
     * The application plus the fake login. ONOS's AuthorizationFilter is switched off, as ONOS's own
     * tests do: outside ONOS's servlet it would run before the fake login and see no user.
     */
    public static ResourceConfig application(TcpSpliceService manager) throws ReflectiveOperationException {
        org.onlab.rest.AuthorizationFilter.disableForTests();
        Field services = BaseResource.class.getDeclaredField("services");
        services.setAccessible(true);
        services.set(null, new TestServiceDirectory().add(TcpSpliceService.class, manager));
        ResourceConfig rc = new ResourceConfig(new SpliceWebApplication().getClasses());
        rc.register(FakeOnosLogin.class);
        return rc;
    }

    /** The resources served on 127.0.0.1 (an ephemeral port) under {@code /onos/tcpsplice/}; stop it when done. */
    public static Served serve(TcpSpliceService manager) throws Exception {
        org.eclipse.jetty.server.Server jetty = new org.eclipse.jetty.server.Server(
                new java.net.InetSocketAddress("127.0.0.1", 0));
        org.eclipse.jetty.servlet.ServletContextHandler context =
                new org.eclipse.jetty.servlet.ServletContextHandler(org.eclipse.jetty.servlet.ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/onos/tcpsplice");
        org.eclipse.jetty.servlet.ServletHolder servlet = new org.eclipse.jetty.servlet.ServletHolder(
                new org.glassfish.jersey.servlet.ServletContainer(application(manager)));
        servlet.setAsyncSupported(true);
        context.addServlet(servlet, "/*");
        jetty.setHandler(context);
        jetty.start();
        int port = ((org.eclipse.jetty.server.ServerConnector) jetty.getConnectors()[0]).getLocalPort();
        return new Served(jetty, java.net.URI.create("http://127.0.0.1:" + port + "/onos/tcpsplice/"));
    }

    /** A running Jetty with the app's resources. */
    public static final class Served implements AutoCloseable {
        private final org.eclipse.jetty.server.Server jetty;
        public final java.net.URI base;

        Served(org.eclipse.jetty.server.Server jetty, java.net.URI base) {
            this.jetty = jetty;
            this.base = base;
        }

        @Override
        public void close() throws Exception {
            jetty.stop();
        }
    }
}
