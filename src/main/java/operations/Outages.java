package operations;

import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/**
 * What the log says while a dependency (the database, SNS, SQS) does not answer: one WARN line
 * when the outage starts, a reminder with the count of failed calls every OUTAGE_REMINDER_S, one
 * INFO line when it answers again; no stack trace, however many calls fail. Every failed call is
 * counted in donut_dependency_failures_total (docs/operations.md). A failure that is not the
 * dependency being unreachable (a refusal, a bug) is none of this, and is logged where it happens.
 */
public final class Outages {

    private static final Logger LOG = LoggerFactory.getLogger(Outages.class);
    /** The MDC key naming the dependency on each of these lines, which the stack's log metrics select on. */
    static final String DEPENDENCY = "dependency";

    private final Duration reminder;
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();
    private final Map<String, Outage> current = new ConcurrentHashMap<>();

    public Outages(MeterRegistry meters, Duration reminder, String... dependencies) {
        this.reminder = reminder;
        for (String dependency : dependencies) {
            failures.put(dependency, Counter.builder("donut.dependency.failures")
                    .description("Calls and polls that failed because the dependency did not answer")
                    .tag("dependency", dependency)
                    .register(meters));
        }
    }

    /**
     * True when the failure is the dependency not answering (or timing out): then it is counted, and
     * logged only as the start of an outage or in a reminder. False for any other failure.
     */
    public boolean failed(String dependency, Throwable failure) {
        if (!unreachable(failure)) {
            return false;
        }
        counter(dependency).increment();
        long now = System.nanoTime();
        Outage outage = current.computeIfAbsent(dependency, name -> {
            try (var named = MDC.putCloseable(DEPENDENCY, name)) {
                LOG.warn("{} does not answer: {}. What needs it waits or fails until it does; a reminder follows every {} s",
                        name, summary(failure), reminder.toSeconds());
            }
            return new Outage(now, now + reminder.toNanos());
        });
        outage.failed.increment();
        long due = outage.nextReminder.get();
        if (now - due >= 0 && outage.nextReminder.compareAndSet(due, now + reminder.toNanos())) {
            try (var named = MDC.putCloseable(DEPENDENCY, dependency)) {
                LOG.warn("{} still does not answer after {} s: {} failed calls so far, the last: {}",
                        dependency, seconds(now - outage.since), outage.failed.sum(), summary(failure));
            }
        }
        return true;
    }

    /** The dependency answered; ends its outage, if it had one. */
    public void answered(String dependency) {
        if (current.isEmpty()) {
            return;
        }
        Outage ended = current.remove(dependency);
        if (ended != null) {
            MDC.put(DEPENDENCY, dependency);
            LOG.info("{} answers again after {} s; {} calls failed meanwhile", dependency, seconds(System.nanoTime() - ended.since),
                    ended.failed.sum());
            MDC.remove(DEPENDENCY);
        }
    }

    /**
     * Whether a failure means the dependency did not answer: a connection refused, reset or timed
     * out, a name that does not resolve, the pool finding no connection in time, the server's 5xx.
     */
    public static boolean unreachable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            // A rollback that failed on the connection the failure broke hides that failure here.
            if (cause instanceof TransactionSystemException rollback && unreachable(rollback.getApplicationException())) {
                return true;
            }
            if (cause instanceof SocketException || cause instanceof SocketTimeoutException || cause instanceof UnknownHostException
                    || cause instanceof EOFException
                    || cause instanceof SQLTransientConnectionException || cause instanceof SQLRecoverableException
                    || cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")
                    || cause instanceof DataAccessResourceFailureException || cause instanceof TransientDataAccessResourceException
                    || cause instanceof RecoverableDataAccessException || cause instanceof QueryTimeoutException
                    || cause instanceof CannotCreateTransactionException
                    || cause instanceof ApiCallTimeoutException || cause instanceof ApiCallAttemptTimeoutException
                    || cause instanceof AwsServiceException aws && aws.statusCode() >= 500) {
                return true;
            }
        }
        return false;
    }

    private Counter counter(String dependency) {
        Counter counter = failures.get(dependency);
        if (counter == null) {
            throw new IllegalArgumentException("Not a dependency the app counts: " + dependency);
        }
        return counter;
    }

    /** One line: the innermost cause, which names what happened, without its stack. */
    private static String summary(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage().lines().findFirst().orElse("").replaceAll("\\.+$", "");
        String line = root.getClass().getSimpleName() + message;
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    private static long seconds(long nanos) {
        return Duration.ofNanos(nanos).toSeconds();
    }

    private static final class Outage {
        final long since;
        final AtomicLong nextReminder;
        final LongAdder failed = new LongAdder();

        Outage(long since, long firstReminder) {
            this.since = since;
            this.nextReminder = new AtomicLong(firstReminder);
        }
    }
}
