package org.tcpsplice.api.json;

/** Every error response: a stable code and a message for people. */
public final class ErrorJson {
    public String error;
    public String message;

    public ErrorJson() {
    }

    public ErrorJson(String error, String message) {
        this.error = error;
        this.message = message;
    }
}
