package api;

/** The shape of every refusal and failure the API answers (docs/design.md, Errors). */
public record ApiError(String error, String message) {
}
