package api;

/**
 * A request the API refuses: carries the HTTP status and the machine-readable code of
 * the error shape of docs/design.md, {@code {"error": CODE, "message": ...}}.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(404, code, message);
    }

    /** No product has the SKU: the product read and an order of it answer the same. */
    public static ApiException unknownSku() {
        return notFound("UNKNOWN_SKU", "No such product.");
    }

    public ApiError toError() {
        return new ApiError(code, getMessage());
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
