package e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;
import sales.OrderBatches;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever SKUs clients send, the app's live heap stays where it was: 20,000 orders for SKUs
 * that do not exist, then 20,000 orders spread over 5,000 real products, change the live heap
 * (measured by the JDK's jcmd after a full GC) by less than 2 MB, and log nothing above INFO.
 */
class HeapStaysBoundedIT extends PipelineTest {

    private static final int PRODUCTS = 5_000;
    private static final int ORDERS = 20_000;
    private static final long LIMIT_BYTES = 2L * 1024 * 1024;
    private static final int CUSTOMERS = 8;

    HeapStaysBoundedIT() {
        // Only the order path is measured: nothing is taken off the queue meanwhile.
        super(Map.of("FACTORY_ROUTE_ENABLED", "false"));
    }

    @Test
    void ordersForUnknownAndForManyRealSkusLeaveTheLiveHeapWhereItWas() throws Exception {
        ExecutorService customers = Executors.newFixedThreadPool(CUSTOMERS);
        try {
            for (int i = 0; i < PRODUCTS; i++) {
                assertThat(app.putProduct(real(i), 1_000, 10).status()).isEqualTo(201);
            }
            // Every code path, thread and pool the measured orders use exists before the first measure.
            assertThat(send(customers, 2_000, i -> app.order("WARM-UP-" + i, 1))).containsOnly(404);
            assertThat(send(customers, 2_000, i -> app.order(real(i), 1))).containsOnly(201);
            Heap before = heap();

            assertThat(send(customers, ORDERS, i -> app.order("NO-SUCH-" + i, 1))).containsOnly(404);
            assertThat(send(customers, ORDERS, i -> app.order(real(i), 1))).containsOnly(201);
            Heap after = heap();

            System.out.printf("Live heap after a full GC: %d bytes before, %d bytes after, growth %d bytes;"
                            + " order lanes alive: %d before, %d after%n",
                    before.bytes(), after.bytes(), after.bytes() - before.bytes(), before.lanes(), after.lanes());
            assertThat(after.bytes() - before.bytes()).as("live heap growth in bytes").isLessThan(LIMIT_BYTES);
            assertThat(database.stockOf(real(0))).isEqualTo(1_000 - 1 - ORDERS / PRODUCTS);
            // Each unknown-SKU order once wrote two warnings with the message history.
            assertThat(app.log().lines().filter(line -> line.contains(" ERROR ")
                    || (line.contains(" WARN ") && line.contains("[vert.x-")))).as("errors, and warnings about requests").isEmpty();
        } finally {
            customers.shutdownNow();
        }
    }

    private static String real(int i) {
        return "E2E-HEAP-" + (i % PRODUCTS);
    }

    /** Sends count requests from a few customers at once; returns the statuses seen. */
    private static List<Integer> send(ExecutorService customers, int count, IntFunction<AppProcess.Answer> request)
            throws Exception {
        List<Future<List<Integer>>> parts = new ArrayList<>();
        for (int c = 0; c < CUSTOMERS; c++) {
            int first = c;
            parts.add(customers.submit(() -> {
                List<Integer> statuses = new ArrayList<>();
                for (int i = first; i < count; i += CUSTOMERS) {
                    statuses.add(request.apply(i).status());
                }
                return statuses;
            }));
        }
        List<Integer> all = new ArrayList<>();
        for (Future<List<Integer>> part : parts) {
            all.addAll(part.get(10, TimeUnit.MINUTES));
        }
        return all;
    }

    record Heap(long bytes, long lanes) {
    }

    /**
     * The live objects of the app, as the JDK's class histogram counts them after the full GC it
     * forces; taken twice, so that what the first collection only queued for clearing is gone.
     */
    private Heap heap() throws IOException, InterruptedException {
        histogram();
        String histogram = histogram();
        long bytes = -1;
        long lanes = 0;
        for (String line : histogram.lines().toList()) {
            String[] columns = line.trim().split("\\s+");
            if (columns[0].equals("Total")) {
                bytes = Long.parseLong(columns[2]);
            } else if (columns.length >= 4 && columns[3].equals("sales.OrderBatches$Lane")) {
                lanes = Long.parseLong(columns[1]);
            }
        }
        assertThat(bytes).as("total in the class histogram:\n" + histogram).isPositive();
        return new Heap(bytes, lanes);
    }

    private String histogram() throws IOException, InterruptedException {
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        Process jcmd = new ProcessBuilder(java.resolveSibling("jcmd").toString(), String.valueOf(app.pid()), "GC.class_histogram")
                .redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jcmd.waitFor(2, TimeUnit.MINUTES)).as("jcmd finished").isTrue();
        assertThat(jcmd.exitValue()).as("jcmd: " + output).isZero();
        return output;
    }
}
