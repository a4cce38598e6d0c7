package restock;

import api.ApiException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import operations.TraceContext;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.camel.Header;

/**
 * The factory callback is authenticated (docs/design.md, rule 6): the legacy factory cannot sign
 * its callback, so the CallbackUrl we hand it carries the request id and an HMAC-SHA256 of that
 * id; only we know the key. The id's and the signature's forms are the OpenAPI document's, checked
 * before the route runs (api.RequestContract). URLs are signed with CALLBACK_SECRET; while
 * CALLBACK_SECRET_PREVIOUS is set, a URL signed with it before a rotation is still accepted
 * (docs/operations.md, "Rotating a secret").
 */
public final class CallbackSigner {

    private final String publicBaseUrl;
    private final byte[] secret;
    private final byte[] previous;

    /**
     * @param publicBaseUrl where the factory reaches us, without a trailing slash
     * @param previous      the secret before the last rotation, or empty
     */
    public CallbackSigner(String publicBaseUrl, String secret, String previous) {
        this.publicBaseUrl = publicBaseUrl;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.previous = previous.isEmpty() ? null : previous.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The signed URL, and the trace context of the factory call when there is one: the factory
     * passes no header on, and calls this URL as it is (docs/operations.md, "Following one restock"). The
     * signature covers the id alone, so URLs handed out before stay valid; a traceparent only
     * places the callback in a trace, and the callback checks it like any caller's.
     */
    public String callbackUrl(String requestId, String traceparent) {
        String url = publicBaseUrl + "/api/restock?request=" + URLEncoder.encode(requestId, StandardCharsets.UTF_8)
                + "&signature=" + new String(sign(secret, requestId), StandardCharsets.US_ASCII);
        return traceparent == null ? url : url + "&" + TraceContext.TRACEPARENT + "=" + traceparent;
    }

    /** 401 when the signature is not ours. */
    public void verify(@Header("request") String requestId, @Header("signature") String signature) {
        byte[] presented = signature.getBytes(StandardCharsets.US_ASCII);
        boolean valid = MessageDigest.isEqual(sign(secret, requestId), presented)
                | (previous != null && MessageDigest.isEqual(sign(previous, requestId), presented));
        if (!valid) {
            throw new ApiException(401, "INVALID_SIGNATURE", "The callback signature does not match the request.");
        }
    }

    private static byte[] sign(byte[] key, String requestId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(requestId.getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
