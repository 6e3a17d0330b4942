package org.tcpsplice.api.web;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;
import org.tcpsplice.api.ApiException;
import org.tcpsplice.api.json.ErrorJson;

/** Every error leaves as JSON {"error": CODE, "message": text}, including the container's own 404/405/415. */
public final class ErrorMappers {
    private ErrorMappers() {
    }

    static Response json(int status, String code, String message) {
        Response.ResponseBuilder r = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ApiJson.write(new ErrorJson(code, message)));
        if (status == 401) {
            r.header("WWW-Authenticate", NodeCredentials.CHALLENGE);
        }
        return r.build();
    }

    /** Refusals raised by the API and the splice service. */
    public static final class Api implements ExceptionMapper<ApiException> {
        @Override
        public Response toResponse(ApiException e) {
            return json(e.status, e.code, e.getMessage());
        }
    }

    /** What the JAX-RS container raises itself (unknown path, wrong method or media type). */
    public static final class Web implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            int status = e.getResponse().getStatus();
            return json(status, Response.Status.fromStatusCode(status) == null ? "HTTP_" + status
                    : Response.Status.fromStatusCode(status).name(), e.getMessage());
        }
    }
}
