package routes;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the app logs while a test sends requests: the events logback hands its appenders, taken
 * from the root logger. Only lines logged on the HTTP server's threads (vert.x-…) count as a
 * request's, so the pipeline's own polling cannot make a test fail.
 */
final class AppLog implements AutoCloseable {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private AppLog() {
        appender.start();
        root.addAppender(appender);
    }

    static AppLog capture() {
        return new AppLog();
    }

    /** The lines the requests caused, as "LEVEL message" for readable failures. */
    List<String> requestLines() {
        return requestEvents().stream().map(event -> event.getLevel() + " " + event.getFormattedMessage()).toList();
    }

    /**
     * A client's mistake is worth at most one INFO or DEBUG line per request: nothing at WARN or
     * above, no stack trace, no message history.
     */
    void assertQuietFor(int requests) {
        List<ILoggingEvent> events = requestEvents();
        assertThat(events).as("log lines of %d client requests: %s", requests, requestLines()).hasSizeLessThanOrEqualTo(requests);
        for (ILoggingEvent event : events) {
            assertThat(event.getLevel().isGreaterOrEqual(Level.WARN)).as("level of: " + event.getFormattedMessage()).isFalse();
            assertThat(event.getThrowableProxy()).as("stack trace with: " + event.getFormattedMessage()).isNull();
            assertThat(event.getFormattedMessage()).doesNotContain("Message History").doesNotContain("\tat ");
        }
    }

    private List<ILoggingEvent> requestEvents() {
        List<ILoggingEvent> all;
        // Logback appends under the appender's lock.
        synchronized (appender) {
            all = List.copyOf(appender.list);
        }
        return all.stream().filter(event -> event.getThreadName().startsWith("vert.x-")).toList();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
