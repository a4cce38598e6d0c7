package api;

import java.util.SortedSet;

/** A 405: the path exists, with other methods, which the answer lists in its Allow header (RFC 9110 15.5.6). */
public class MethodNotAllowed extends ApiException {

    private final String allowed;

    public MethodNotAllowed(String path, SortedSet<String> allowed) {
        super(405, "METHOD_NOT_ALLOWED", path + " accepts " + String.join(", ", allowed) + " only.");
        this.allowed = String.join(", ", allowed);
    }

    public String allowed() {
        return allowed;
    }
}
