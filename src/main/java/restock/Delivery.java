package restock;

import java.util.Map;

import api.Rows;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The factory callback's answer: what the delivery added and the stock now; a repeat adds
 * nothing and says it was a duplicate.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Delivery(String sku, long added, long stock, Boolean duplicate) {

    /**
     * @param result a row of sql/restock/callback-result.sql
     * @param fulfilled how many requests this callback moved to FULFILLED: 1 the first time, then 0
     */
    public static Delivery of(Map<String, Object> result, int fulfilled) {
        boolean firstCallback = fulfilled == 1;
        return new Delivery((String) result.get("sku"), firstCallback ? Rows.longOf(result.get("quantity")) : 0,
                Rows.longOf(result.get("stock")), firstCallback ? null : Boolean.TRUE);
    }
}
