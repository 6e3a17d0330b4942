package org.tcpsplice.api.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tcpsplice.api.ApiException;

/**
 * Who may call the API: each node has its own secret (bearer token), and operators an admin token.
 * Nodes may post handoffs and read splices; only the admin may delete splices.
 */
public final class NodeCredentials {
    public static final String ROLE_NODE = "node";
    public static final String ROLE_ADMIN = "admin";
    /** The principal name of the admin token. */
    public static final String ADMIN = "admin";

    private final Map<String, byte[]> nodeTokens = new LinkedHashMap<>();
    private final byte[] adminToken;

    /** @param nodeTokens node id to its secret; @param adminToken the operators' secret (null: none) */
    public NodeCredentials(Map<String, String> nodeTokens, String adminToken) {
        nodeTokens.forEach((node, token) -> {
            if (token == null || token.length() < 16) {
                throw new IllegalArgumentException("node " + node + ": a token needs at least 16 characters");
            }
            this.nodeTokens.put(node, token.getBytes(StandardCharsets.UTF_8));
        });
        if (adminToken != null && adminToken.length() < 16) {
            throw new IllegalArgumentException("the admin token needs at least 16 characters");
        }
        this.adminToken = adminToken == null ? null : adminToken.getBytes(StandardCharsets.UTF_8);
    }

    /** The challenge every 401 carries in its {@code WWW-Authenticate} header. */
    public static final String CHALLENGE = "Bearer realm=\"tcpsplice\"";

    /**
     * The caller an {@code Authorization} header names: 401 when the header is missing, is not a bearer
     * token, or holds an unknown token.
     */
    public String authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(401, "UNAUTHENTICATED", "send 'Authorization: Bearer <token>'");
        }
        String caller = identify(authorization.substring(7).trim());
        if (caller == null) {
            throw new ApiException(401, "UNAUTHENTICATED", "unknown token");
        }
        return caller;
    }

    /** The admin token has only the admin role, a node's token only the node role. */
    public static boolean hasRole(String caller, String role) {
        return ADMIN.equals(caller) ? ROLE_ADMIN.equals(role) : ROLE_NODE.equals(role);
    }

    /** The caller a token belongs to (a node id, or {@link #ADMIN}), or null. Compares in constant time. */
    public String identify(String token) {
        byte[] presented = token.getBytes(StandardCharsets.UTF_8);
        String found = null;
        for (Map.Entry<String, byte[]> e : nodeTokens.entrySet()) {
            if (MessageDigest.isEqual(presented, e.getValue())) {
                found = e.getKey();
            }
        }
        if (adminToken != null && MessageDigest.isEqual(presented, adminToken)) {
            found = ADMIN;
        }
        return found;
    }
}
