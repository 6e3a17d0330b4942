package org.tcpsplice.onos.web;

import java.util.Set;
import org.onlab.rest.AbstractWebApplication;
import org.tcpsplice.api.web.BodyLimitFilter;
import org.tcpsplice.api.web.ErrorMappers;

/** What ONOS's Jersey serves under the app's web context (/onos/tcpsplice). */
public class SpliceWebApplication extends AbstractWebApplication {
    @Override
    public Set<Class<?>> getClasses() {
        return getClasses(SpliceWebResources.Handoffs.class, SpliceWebResources.Splices.class,
                SpliceWebResources.Status.class, ErrorMappers.Api.class, ErrorMappers.Web.class, BodyLimit.class);
    }

    /** The API's body limit, with the no-argument constructor ONOS's Jersey needs. */
    public static final class BodyLimit implements javax.ws.rs.container.ContainerRequestFilter {
        private final BodyLimitFilter limit = new BodyLimitFilter(BodyLimitFilter.DEFAULT_LIMIT);

        @Override
        public void filter(javax.ws.rs.container.ContainerRequestContext request) throws java.io.IOException {
            limit.filter(request);
        }
    }
}
