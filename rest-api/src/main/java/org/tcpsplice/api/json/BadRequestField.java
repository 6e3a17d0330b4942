package org.tcpsplice.api.json;

/** A request body field is missing or out of range; the message names it. */
public final class BadRequestField extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadRequestField(String message) {
        super(message);
    }
}
