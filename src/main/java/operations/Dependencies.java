package operations;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.support.service.ServiceSupport;

/**
 * What the app depends on (the database, SNS, SQS), asked every HEALTH_CHECK_MS on a thread of
 * its own, each call bounded by its own timeout. Health detail and the donut_dependency_up gauges
 * answer from the last answer, never from a call of their own, so a probe that hangs holds
 * nobody. A dependency's trouble is shown, not acted on: these checks are neither readiness nor
 * liveness, so a load balancer or an orchestrator never takes a healthy instance out for a
 * dependency every instance shares (docs/operations.md, "Health").
 */
public final class Dependencies extends ServiceSupport {

    /** One dependency: asking it answers normally, or throws why it is not there. */
    public record Probe(String name, Callable<Void> ask) {
    }

    private record Answer(boolean up, String message, Instant at) {
    }

    private final CamelContext context;
    private final Duration period;
    private final Outages outages;
    private final Map<String, Probe> probes = new LinkedHashMap<>();
    private final Map<String, Answer> answers = new java.util.concurrent.ConcurrentHashMap<>();
    private ScheduledExecutorService clock;

    /** @param outages told of every answer, so that an outage ends in the log even when nothing else calls (a failure is told where the call failed) */
    public Dependencies(CamelContext context, Duration period, MeterRegistry meters, Outages outages, Probe... probes) {
        this.context = context;
        this.period = period;
        this.outages = outages;
        for (Probe probe : probes) {
            this.probes.put(probe.name(), probe);
            Gauge.builder("donut.dependency.up", () -> up(probe.name()) ? 1 : 0)
                    .description("1 while the dependency answered its last check, else 0")
                    .tag("dependency", probe.name())
                    .register(meters);
        }
    }

    /** The health checks of /observe/health (all checks), one per dependency. */
    public Iterable<HealthCheck> healthChecks() {
        return probes.keySet().stream().map(name -> (HealthCheck) new AbstractHealthCheck("donut-states", name) {
            @Override
            public boolean isLiveness() {
                return false;
            }

            @Override
            public boolean isReadiness() {
                return false;
            }

            @Override
            protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
                Answer answer = answers.get(name);
                if (answer == null) {
                    builder.message("Not checked yet").unknown();
                } else if (answer.up()) {
                    builder.detail("checked", answer.at().toString()).up();
                } else {
                    builder.detail("checked", answer.at().toString()).message(answer.message()).down();
                }
            }
        }).toList();
    }

    public boolean up(String name) {
        Answer answer = answers.get(name);
        return answer != null && answer.up();
    }

    @Override
    protected void doStart() {
        clock = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "dependency-checks");
        clock.scheduleWithFixedDelay(this::askAll, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (clock != null) {
            context.getExecutorServiceManager().shutdownNow(clock);
        }
    }

    private void askAll() {
        for (Probe probe : probes.values()) {
            try {
                probe.ask().call();
                answers.put(probe.name(), new Answer(true, null, Instant.now()));
                outages.answered(probe.name());
            } catch (Exception e) {
                answers.put(probe.name(), new Answer(false, probe.name() + " is not reachable: " + e.getMessage(), Instant.now()));
            }
        }
    }
}
