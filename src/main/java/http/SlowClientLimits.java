package http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;

/**
 * How long a client may take, so that a slow or silent one cannot hold a connection (and the
 * memory behind it) for as long as it likes:
 * <ul>
 * <li>a new connection must deliver its first request's line and headers within
 * HTTP_HEADER_READ_TIMEOUT_MS, else it is closed;</li>
 * <li>once the headers are in, the body must follow within HTTP_BODY_READ_TIMEOUT_MS, else the
 * request is answered 408 and the connection closed;</li>
 * <li>after an answer, a kept-alive connection must deliver the next request's headers within
 * HTTP_IDLE_TIMEOUT_MS, else it is closed.</li>
 * </ul>
 * The time an answer takes is not limited here. Every callback runs on the connection's own
 * event loop, so a connection's watch needs no lock.
 */
final class SlowClientLimits {

    private final Vertx vertx;
    private final long headerReadMs;
    private final long bodyReadMs;
    private final long idleMs;
    private final EdgeAnswers answers;
    private final Map<HttpConnection, Watch> watches = new ConcurrentHashMap<>();

    SlowClientLimits(Vertx vertx, long headerReadMs, long bodyReadMs, long idleMs, EdgeAnswers answers) {
        this.vertx = vertx;
        this.headerReadMs = headerReadMs;
        this.bodyReadMs = bodyReadMs;
        this.idleMs = idleMs;
        this.answers = answers;
    }

    /** The HTTP server's connection handler. */
    void opened(HttpConnection connection) {
        Watch watch = new Watch(connection);
        watches.put(connection, watch);
        connection.closeHandler(closed -> {
            watches.remove(connection);
            watch.closed();
        });
        watch.closeUnlessARequestArrivesWithin(headerReadMs);
    }

    /** The router's first handler: a request's line and headers have arrived. */
    void requestArrived(RoutingContext routing) {
        Watch watch = watches.get(routing.request().connection());
        if (watch != null) {
            watch.requestArrived();
            long bodyDeadline = routing.request().isEnded() ? -1 : vertx.setTimer(bodyReadMs, fired -> {
                if (!routing.request().isEnded()) {
                    answers.answerAndClose(routing, 408, "REQUEST_TIMEOUT",
                            "The request body did not arrive within " + bodyReadMs + " ms.");
                }
            });
            routing.addEndHandler(answered -> {
                // An answer given before the body was all in (413) leaves the deadline running:
                // the rest of the body is read and thrown away only until then.
                if (routing.request().isEnded()) {
                    vertx.cancelTimer(bodyDeadline);
                }
                watch.answered(idleMs);
            });
        }
        routing.next();
    }

    /** One connection: whether a request is being answered, and the deadline for the next one. */
    private final class Watch {
        private final HttpConnection connection;
        private long deadline = -1;
        private int answering;
        private boolean closed;

        Watch(HttpConnection connection) {
            this.connection = connection;
        }

        void closeUnlessARequestArrivesWithin(long ms) {
            if (closed) {
                return;
            }
            cancelDeadline();
            deadline = vertx.setTimer(ms, fired -> {
                deadline = -1;
                if (answering == 0) {
                    connection.close();
                }
            });
        }

        void requestArrived() {
            cancelDeadline();
            answering++;
        }

        void answered(long idleMs) {
            answering--;
            if (answering == 0) {
                closeUnlessARequestArrivesWithin(idleMs);
            }
        }

        void closed() {
            closed = true;
            cancelDeadline();
        }

        private void cancelDeadline() {
            if (deadline >= 0) {
                vertx.cancelTimer(deadline);
                deadline = -1;
            }
        }
    }
}
