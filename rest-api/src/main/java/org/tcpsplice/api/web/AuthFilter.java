package org.tcpsplice.api.web;

import java.security.Principal;
import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.SecurityContext;

/** Bearer-token authentication for everything but {@code health} and the OpenAPI document. */
@Priority(Priorities.AUTHENTICATION)
public final class AuthFilter implements ContainerRequestFilter {
    private final NodeCredentials credentials;

    public AuthFilter(NodeCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.equals("health") || path.equals("openapi.json")) {
            return;
        }
        String caller = credentials.authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        boolean secure = request.getSecurityContext() != null && request.getSecurityContext().isSecure();
        request.setSecurityContext(new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return () -> caller;
            }

            @Override
            public boolean isUserInRole(String role) {
                return NodeCredentials.hasRole(caller, role);
            }

            @Override
            public boolean isSecure() {
                return secure;
            }

            @Override
            public String getAuthenticationScheme() {
                return "Bearer";
            }
        });
    }
}
