package org.tcpsplice.api.web;

import java.io.InputStream;
import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.tcpsplice.api.ApiException;
import org.tcpsplice.api.SpliceService;
import org.tcpsplice.api.json.BadRequestField;
import org.tcpsplice.api.json.HandoffJson;
import org.tcpsplice.core.handoff.ConnectionSnapshot;

/**
 * {@code POST /handoffs}: a node hands the connection it serves to another node. 201 with the splice
 * when applied, 200 when the same handoff was applied before; errors as JSON (400/401/403/404/409/413).
 */
@Path("handoffs")
public final class HandoffResource {
    private final SpliceService service;

    public HandoffResource(SpliceService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response handoff(InputStream body, @Context SecurityContext security) {
        ConnectionSnapshot[] sockets = sockets(security.isUserInRole(NodeCredentials.ROLE_NODE), body);
        SpliceService.HandoffResult result =
                service.handoff(security.getUserPrincipal().getName(), sockets[0], sockets[1]);
        return Response.status(status(result)).entity(ApiJson.write(result.splice)).build();
    }

    /**
     * The two sockets a handoff body describes (client side, new connection); 403 for a caller that is
     * no node, 400 for a bad body. Shared with the standalone controller's lean handler for this path,
     * so both answer alike.
     */
    public static ConnectionSnapshot[] sockets(boolean callerIsNode, InputStream body) {
        if (!callerIsNode) {
            throw new ApiException(403, "FORBIDDEN", "only nodes hand off connections");
        }
        HandoffJson request = ApiJson.read(body, HandoffJson.class);
        try {
            return request.toCore();
        } catch (BadRequestField e) {
            throw new ApiException(400, "MALFORMED", e.getMessage());
        }
    }

    /** 201 when applied now, 200 for a repeat of an applied handoff. */
    public static int status(SpliceService.HandoffResult result) {
        return result.created ? 201 : 200;
    }
}
