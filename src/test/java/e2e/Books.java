package e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.assertj.core.api.SoftAssertions;

import static org.awaitility.Awaitility.await;

/**
 * The books a fault test ends with. It is told what customers were told (each 201) and checks
 * that against the database, the factory and ops' mailbox: for every product, stock = initial -
 * units sold + units restocked, never negative; every restock request FULFILLED, or FAILED with
 * exactly one email; no request ordered from the factory twice; no delivery counted twice.
 */
final class Books {

    /**
     * For a test that SIGKILLs the app: a kill after the SMTP server took an alert and before its
     * key was stored mails that failure twice (docs/design.md, "One email per failure"), never more.
     */
    static Books withTheMailWindowOfAKill() {
        Books books = new Books();
        books.mostEmailsPerFailure = 2;
        return books;
    }

    private int mostEmailsPerFailure = 1;

    record Totals(int unitsSold, int requests, int fulfilled, int failed, int emails, int factoryOrders) {
        @Override
        public String toString() {
            return "%d units sold, %d restock requests: %d fulfilled, %d failed, %d emails to ops, %d factory orders"
                    .formatted(unitsSold, requests, fulfilled, failed, emails, factoryOrders);
        }
    }

    private final Map<String, Integer> initialStock = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> unitsSold = new ConcurrentHashMap<>();

    /** A product the test created with this stock. */
    void stocked(String sku, int stock) {
        initialStock.put(sku, stock);
        unitsSold.put(sku, new AtomicInteger());
    }

    /** A customer was told 201: these units left the warehouse. */
    void sold(String sku, int quantity) {
        unitsSold.get(sku).addAndGet(quantity);
    }

    /**
     * Waits (up to {@code settle}) until no restock request of the test's products is still on
     * its way, then checks every rule, reporting all that are broken at once. The factory's record
     * maps request ids to the orders it took for them.
     */
    Totals assertBalanced(Database database, MailServer mail, Supplier<JsonNode> factoryRecord, Duration settle) {
        var jdbc = database.jdbc();
        String skus = String.join(",", initialStock.keySet().stream().map(sku -> "'" + sku + "'").toList());
        await("every restock request FULFILLED or FAILED").atMost(settle).pollInterval(Duration.ofSeconds(1))
                .until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM restock_requests WHERE sku IN (" + skus
                        + ") AND status NOT IN ('FULFILLED', 'FAILED')", Integer.class) == 0);
        List<Map<String, Object>> requests = jdbc.queryForList(
                "SELECT id, sku, quantity, status FROM restock_requests WHERE sku IN (" + skus + ")");
        List<String> failed = requests.stream().filter(r -> "FAILED".equals(r.get("status"))).map(r -> (String) r.get("id")).toList();

        await("an email for every FAILED request").atMost(Duration.ofSeconds(60))
                .until(() -> emailsByRequest(mail, requests).keySet().containsAll(failed));
        int settledMail = mail.received().size();
        await("no further email").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> mail.received().size() == settledMail);
        Map<String, Integer> emails = emailsByRequest(mail, requests);
        JsonNode factoryOrders = factoryRecord.get();

        SoftAssertions books = new SoftAssertions();
        for (var product : initialStock.entrySet()) {
            String sku = product.getKey();
            int sold = unitsSold.get(sku).get();
            int restocked = jdbc.queryForObject(
                    "SELECT COALESCE(SUM(delta), 0) FROM stock_movements WHERE sku = ? AND reason = 'RESTOCK'", Integer.class, sku);
            int soldInDatabase = jdbc.queryForObject(
                    "SELECT COALESCE(-SUM(delta), 0) FROM stock_movements WHERE sku = ? AND reason = 'SALE'", Integer.class, sku);
            int stock = database.stockOf(sku);
            books.assertThat(soldInDatabase).as("%s: units sold in the database vs 201s customers saw", sku).isEqualTo(sold);
            books.assertThat(stock).as("%s: stock = %d initial - %d sold + %d restocked", sku, product.getValue(), sold, restocked)
                    .isEqualTo(product.getValue() - sold + restocked);
            books.assertThat(stock).as("%s: stock", sku).isNotNegative();
        }
        for (Map<String, Object> request : requests) {
            String id = (String) request.get("id");
            boolean fulfilled = "FULFILLED".equals(request.get("status"));
            List<Integer> deliveries = jdbc.queryForList(
                    "SELECT delta FROM stock_movements WHERE reason = 'RESTOCK' AND reference = ?", Integer.class, id);
            books.assertThat(deliveries).as("deliveries counted for request %s (%s)", id, request.get("status"))
                    .isEqualTo(fulfilled ? List.of(((Number) request.get("quantity")).intValue()) : List.of());
            books.assertThat(factoryOrders.path(id).asInt(0)).as("factory orders for request %s", id).isLessThanOrEqualTo(1);
            if (fulfilled) {
                books.assertThat(factoryOrders.path(id).asInt(0)).as("factory orders for FULFILLED request %s", id).isEqualTo(1);
            }
            int mailed = emails.getOrDefault(id, 0);
            books.assertThat(mailed).as("emails about request %s (%s)", id, request.get("status"))
                    .isBetween(fulfilled ? 0 : 1, mostEmailsPerFailure);
        }
        books.assertThat(settledMail).as("emails that name no request of this test").isEqualTo(emails.values().stream().mapToInt(Integer::intValue).sum());
        books.assertAll();

        return new Totals(unitsSold.values().stream().mapToInt(AtomicInteger::get).sum(), requests.size(),
                requests.size() - failed.size(), failed.size(), settledMail, factoryOrders.size());
    }

    private static Map<String, Integer> emailsByRequest(MailServer mail, List<Map<String, Object>> requests) {
        Map<String, Integer> counts = new HashMap<>();
        List<String> subjects = new ArrayList<>();
        for (MimeMessage email : mail.received()) {
            subjects.add(subject(email));
        }
        for (Map<String, Object> request : requests) {
            String id = (String) request.get("id");
            int count = (int) subjects.stream().filter(subject -> subject.contains(id)).count();
            if (count > 0) {
                counts.put(id, count);
            }
        }
        return counts;
    }

    private static String subject(MimeMessage email) {
        try {
            return email.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
