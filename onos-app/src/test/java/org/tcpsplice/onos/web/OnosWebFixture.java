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
import org.tcpsplice.onos.impl.SpliceManager;

/**
 * The app's REST resources as ONOS would serve them, for any Jersey container: the resource classes
 * of {@link SpliceWebApplication}, a fake of ONOS's login, and the manager published where ONOS's
 * resources look services up. Shared by the REST test here and the contract test.
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
    public static ResourceConfig application(SpliceManager manager) throws ReflectiveOperationException {
        org.onlab.rest.AuthorizationFilter.disableForTests();
        Field services = BaseResource.class.getDeclaredField("services");
        services.setAccessible(true);
        services.set(null, new TestServiceDirectory().add(SpliceManager.class, manager));
        ResourceConfig rc = new ResourceConfig(new SpliceWebApplication().getClasses());
        rc.register(FakeOnosLogin.class);
        return rc;
    }
}
