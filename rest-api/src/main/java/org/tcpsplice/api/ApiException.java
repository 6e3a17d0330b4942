package org.tcpsplice.api;

import org.tcpsplice.core.handoff.HandoffRefusal;

/** A refused API call: an HTTP status, a stable error code and a message. Nothing was changed. */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public final int status;
    public final String code;

    public ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    /** 503: the switch did not confirm a handoff's rules ({@code why} says what happened instead), so it was undone. */
    public static ApiException switchDidNotConfirm(String why) {
        return new ApiException(503, "SWITCH_UNAVAILABLE", "the switch did not confirm the rules (" + why
                + "); the handoff was undone, keep serving the connection");
    }

    /** The HTTP status for each handoff refusal of splice-core. */
    public static ApiException of(HandoffRefusal refusal, String message) {
        switch (refusal) {
            case MALFORMED:
                return new ApiException(400, refusal.name(), message);
            case NOT_CURRENT_OWNER:
            case UNKNOWN_NODE:
                return new ApiException(403, refusal.name(), message);
            case CLIENT_NOT_LOCATED:
            case SWITCH_UNAVAILABLE:
                return new ApiException(503, refusal.name(), message);
            case UNKNOWN_CONNECTION:
                return new ApiException(404, refusal.name(), message);
            default: // STALE_SEQUENCE, CONFLICT, OPTIONS_MISMATCH
                return new ApiException(409, refusal.name(), message);
        }
    }
}
