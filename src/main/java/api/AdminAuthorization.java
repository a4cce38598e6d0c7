package api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Admin endpoints need {@code Authorization: Bearer $ADMIN_TOKEN}: the operations the OpenAPI
 * document secures with {@code adminToken} (RequestContract), and health detail (http.HttpEdge).
 * While ADMIN_TOKEN_PREVIOUS is set, the token it names is still accepted: a rotation takes
 * effect replica by replica, and clients move to the new token meanwhile (docs/operations.md,
 * "Rotating a secret").
 */
public final class AdminAuthorization {

    public static final String HEADER = "Authorization";
    private static final String BEARER = "Bearer ";

    private final byte[] token;
    private final byte[] previous;

    /** @param previous the token before the last rotation, or empty */
    public AdminAuthorization(String token, String previous) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.previous = previous.isEmpty() ? null : previous.getBytes(StandardCharsets.UTF_8);
    }

    /** @param authorization the one Authorization header of the request, or null */
    public void check(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new ApiException(401, "UNAUTHORIZED", "Admin endpoints need an 'Authorization: Bearer <ADMIN_TOKEN>' header.");
        }
        byte[] presented = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        // Constant-time: the comparison must not tell an attacker how many leading bytes matched.
        boolean valid = MessageDigest.isEqual(presented, token) | (previous != null && MessageDigest.isEqual(presented, previous));
        if (!valid) {
            throw new ApiException(401, "UNAUTHORIZED", "The admin token is not valid.");
        }
    }
}
