package org.tcpsplice.api.web;

import java.util.List;
import org.tcpsplice.api.SpliceService;

/** Everything a JAX-RS host registers to serve the API, as instances (the same list for both hosts). */
public final class RestComponents {
    private RestComponents() {
    }

    public static List<Object> all(SpliceService service, NodeCredentials credentials, int bodyLimit) {
        return List.of(new BodyLimitFilter(bodyLimit), new AuthFilter(credentials),
                new ErrorMappers.Api(), new ErrorMappers.Web(),
                new HandoffResource(service), new SpliceResource(service), new StatusResource(service));
    }
}
