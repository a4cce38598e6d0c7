package api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import org.apache.camel.Exchange;
import org.apache.camel.Header;

/**
 * Pages of one of the API's lists (docs/design.md, "Lists in pages"): how many items a page holds
 * ({@code ?limit=}, its bounds and default the contract's PageLimit, checked and filled in before
 * the route), where it starts ({@code ?cursor=}, the key of the last item of the page before), and
 * the way to the next page ({@code Link: <…>; rel="next"} and {@code X-Next-Cursor}). The body
 * stays the array the contract promises. The query reads one row more than the page holds: that
 * row only says that more follow. A cursor is the list's name and the key, in base64url: opaque to
 * clients, and one list's cursor is refused by the other.
 */
public final class ListPages {

    public static final String LINK = "Link";
    public static final String NEXT_CURSOR = "X-Next-Cursor";

    private final String list;
    private final String path;
    private final String keyColumn;
    private final List<String> filters;

    /**
     * @param list      the list's name, written into its cursors
     * @param path      where the list is served, for the next page's link
     * @param keyColumn the column of a row that is its place in the order
     * @param filters   the query parameters that narrow the list, carried on into the next page's link
     */
    public ListPages(String list, String path, String keyColumn, List<String> filters) {
        this.list = list;
        this.path = path;
        this.keyColumn = keyColumn;
        this.filters = List.copyOf(filters);
    }

    /** The rows the query reads: the page's {@code ?limit=}, and one more. */
    public int rowsToRead(@Header("limit") int limit) {
        return limit + 1;
    }

    /** The key the page starts after, read from {@code ?cursor=}; null for the first page. */
    public String after(@Header("cursor") String value) {
        if (value == null) {
            return null;
        }
        String prefix = list + ":";
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
            if (decoded.startsWith(prefix) && decoded.length() > prefix.length()) {
                return decoded.substring(prefix.length());
            }
        } catch (IllegalArgumentException notBase64) {
            // Refused below, as any cursor this list did not hand out.
        }
        throw invalidCursor();
    }

    /** The refusal of a cursor that is not one of this list's, or names nothing in it. */
    public static ApiException invalidCursor() {
        return ApiException.badRequest("INVALID_CURSOR", "'cursor' must be the " + NEXT_CURSOR + " of a page of this list.");
    }

    /** Keeps the page's rows of those the query read, and names the next page when the query found more. */
    public List<Map<String, Object>> cut(Exchange exchange, @Header("rows") int rowsRead) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = exchange.getMessage().getBody(List.class);
        int pageSize = rowsRead - 1;
        if (rows.size() <= pageSize) {
            return rows;
        }
        List<Map<String, Object>> page = rows.subList(0, pageSize);
        String next = Base64.getUrlEncoder().withoutPadding()
                .encodeToString((list + ":" + page.get(pageSize - 1).get(keyColumn)).getBytes(StandardCharsets.UTF_8));
        StringJoiner query = new StringJoiner("&", path + "?", "");
        for (String filter : filters) {
            Object value = exchange.getMessage().getHeader(filter);
            if (value != null) {
                query.add(filter + "=" + URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
            }
        }
        query.add("limit=" + pageSize).add("cursor=" + next);
        exchange.getMessage().setHeader(LINK, "<" + query + ">; rel=\"next\"");
        exchange.getMessage().setHeader(NEXT_CURSOR, next);
        return page;
    }
}
