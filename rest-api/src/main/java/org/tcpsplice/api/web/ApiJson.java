package org.tcpsplice.api.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.tcpsplice.api.ApiException;

/**
 * The API's own JSON reading and writing, so that both hosts (Jersey in the controller, ONOS's web
 * container) give the same answers and the same error messages for the same bodies.
 */
public final class ApiJson {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private ApiJson() {
    }

    /** Reads a body; malformed JSON, unknown fields or wrong types are a 400 naming the problem. */
    public static <T> T read(InputStream body, Class<T> type) {
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw new ApiException(400, "MALFORMED_JSON", "the request body is empty");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "MALFORMED_JSON", e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(400, "MALFORMED_JSON", "could not read the body: " + e.getMessage());
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
