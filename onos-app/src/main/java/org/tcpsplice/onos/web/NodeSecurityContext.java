package org.tcpsplice.onos.web;

import java.security.Principal;
import javax.ws.rs.core.SecurityContext;
import org.tcpsplice.api.web.NodeCredentials;

/**
 * ONOS authenticates (its own users); this maps them to the API's roles: an ONOS user whose name is
 * a configured node id is that node; an ONOS admin who is not a node is the API's admin. (ONOS itself
 * refuses writes from users without its admin role, so node accounts need that role too.)
 */
final class NodeSecurityContext implements SecurityContext {
    private final SecurityContext onos;
    private final boolean node;

    NodeSecurityContext(SecurityContext onos, boolean node) {
        this.onos = onos;
        this.node = node;
    }

    @Override
    public Principal getUserPrincipal() {
        return onos.getUserPrincipal();
    }

    @Override
    public boolean isUserInRole(String role) {
        if (NodeCredentials.ROLE_NODE.equals(role)) {
            return node;
        }
        return NodeCredentials.ROLE_ADMIN.equals(role) && !node && onos.isUserInRole("admin");
    }

    @Override
    public boolean isSecure() {
        return onos.isSecure();
    }

    @Override
    public String getAuthenticationScheme() {
        return onos.getAuthenticationScheme();
    }
}
