package routes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/grafana/donut-states.json queries only series the app really exposes: every metric name
 * in every panel's expression, and every label a panel groups by, is in a scrape of the whole
 * application's /observe/metrics. A renamed meter or label fails here, not on an empty panel.
 */
class DashboardQueriesTest extends RouteTestSupport {

    private static final Path ROOT = Path.of(System.getProperty("basedir", ""));
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w:.$])([A-Za-z_:][\\w:]*)(\\s*\\()?");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
    /** PromQL words that look like metric names; functions and aggregations are told by their "(". */
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "inf", "nan");
    /** Labels Prometheus adds to every series at scrape time; the app's own scrape never has them. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");

    @Test
    void everySeriesTheDashboardQueriesIsInARealScrape() throws IOException {
        JsonNode dashboard = JSON.readTree(Files.readString(ROOT.resolve("deploy/grafana/donut-states.json")));
        Map<String, Set<String>> scraped = labelsByMetric(metricsText());
        List<String> expressions = expressions(dashboard);
        assertThat(expressions).as("panel expressions").isNotEmpty();

        SoftAssertions dashboardChecks = new SoftAssertions();
        Set<String> queried = new TreeSet<>();
        for (String expression : expressions) {
            Set<String> metrics = metricNames(expression);
            dashboardChecks.assertThat(metrics).as("metrics in %s", expression).isNotEmpty();
            queried.addAll(metrics);
            for (String metric : metrics) {
                dashboardChecks.assertThat(scraped).as("the scrape has %s (queried by %s)", metric, expression).containsKey(metric);
            }
            Set<String> labels = new TreeSet<>();
            metrics.forEach(metric -> labels.addAll(scraped.getOrDefault(metric, Set.of())));
            for (String label : groupingLabels(expression)) {
                dashboardChecks.assertThat(labels).as("label %s grouped by in %s", label, expression).contains(label);
            }
            // Replicas: one series per instance, so every panel aggregates across them.
            dashboardChecks.assertThat(expression).as("aggregated across instances").containsPattern("^\\s*(sum|max|min|histogram_quantile)\\b");
            // docs/operations.md, "Metrics": every instance reads these from the one database, so a sum would count each request once per instance.
            if (metrics.contains("donut_restock_requests")) {
                dashboardChecks.assertThat(expression).as("the database's counts, once").containsPattern("\\bmax\\b").doesNotContainPattern("\\bsum\\b(?:\\s*by\\s*\\([^)]*\\))?\\s*\\((?!\\s*max)");
            }
            if (expression.contains("_bucket")) {
                dashboardChecks.assertThat(expression).as("quantile over every instance's buckets").contains("sum by (le)");
            }
        }
        for (JsonNode variable : dashboard.at("/templating/list")) {
            Matcher labelValues = Pattern.compile("label_values\\((\\w+)").matcher(variable.path("definition").asText());
            if (labelValues.find()) {
                dashboardChecks.assertThat(scraped).as("variable %s reads %s", variable.path("name").asText(), labelValues.group(1))
                        .containsKey(labelValues.group(1));
            }
        }
        for (String meter : documentedMeters()) {
            dashboardChecks.assertThat(queried).as("a panel over the documented meter %s", meter)
                    .anyMatch(metric -> metric.equals(meter) || metric.startsWith(meter + "_"));
        }
        dashboardChecks.assertAll();
    }

    @Test
    void everyPanelReadsThePrometheusChosenInTheDatasourceVariable() throws IOException {
        JsonNode dashboard = JSON.readTree(Files.readString(ROOT.resolve("deploy/grafana/donut-states.json")));

        assertThat(dashboard.at("/templating/list")).anySatisfy(variable -> {
            assertThat(variable.path("type").asText()).isEqualTo("datasource");
            assertThat(variable.path("name").asText()).isEqualTo("datasource");
            assertThat(variable.path("query").asText()).isEqualTo("prometheus");
        });
        List<JsonNode> sources = new ArrayList<>();
        panels(dashboard).forEach(panel -> {
            sources.add(panel.path("datasource"));
            panel.path("targets").forEach(target -> sources.add(target.path("datasource")));
        });
        assertThat(sources).isNotEmpty().allSatisfy(source -> assertThat(source.path("uid").asText()).isEqualTo("${datasource}"));
    }

    /** Every metric name in a PromQL expression: the identifiers left once strings, matchers, ranges and groupings are gone. */
    static Set<String> metricNames(String expression) {
        String bare = expression
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find()) {
            if (identifier.group(2) == null && !KEYWORDS.contains(identifier.group(1).toLowerCase())) {
                names.add(identifier.group(1));
            }
        }
        return names;
    }

    private static Set<String> groupingLabels(String expression) {
        Set<String> labels = new TreeSet<>();
        Matcher grouping = GROUPING.matcher(expression);
        while (grouping.find()) {
            for (String label : grouping.group(1).split(",")) {
                if (!label.isBlank() && !TARGET_LABELS.contains(label.trim())) {
                    labels.add(label.trim());
                }
            }
        }
        return labels;
    }

    /** Sample name to the label names it carries, from the Prometheus text format. */
    private static Map<String, Set<String>> labelsByMetric(String scrape) {
        Map<String, Set<String>> labels = new TreeMap<>();
        Pattern sample = Pattern.compile("^([A-Za-z_:][\\w:]*)(?:\\{(.*)})?\\s+\\S+.*$");
        Pattern label = Pattern.compile("([A-Za-z_]\\w*)=\"");
        scrape.lines().filter(line -> !line.startsWith("#") && !line.isBlank()).forEach(line -> {
            Matcher matched = sample.matcher(line);
            assertThat(matched.matches()).as("a sample line: %s", line).isTrue();
            Set<String> names = labels.computeIfAbsent(matched.group(1), name -> new TreeSet<>());
            if (matched.group(2) != null) {
                Matcher each = label.matcher(matched.group(2));
                while (each.find()) {
                    names.add(each.group(1));
                }
            }
        });
        return labels;
    }

    private static List<String> expressions(JsonNode dashboard) {
        List<String> expressions = new ArrayList<>();
        panels(dashboard).forEach(panel -> panel.path("targets").forEach(target -> expressions.add(target.path("expr").asText())));
        return expressions;
    }

    /** Every panel, those inside collapsed rows included. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        });
        return panels;
    }

    /** The meters the "Metrics" table of docs/operations.md lists, by name. */
    private static Set<String> documentedMeters() throws IOException {
        String operations = Files.readString(ROOT.resolve("docs/operations.md"));
        int start = operations.indexOf("## Metrics");
        String section = operations.substring(start, operations.indexOf("\n## ", start + 1));
        Set<String> meters = new TreeSet<>();
        Matcher meter = Pattern.compile("(?m)^\\| `(donut_\\w+)").matcher(section);
        while (meter.find()) {
            meters.add(meter.group(1));
        }
        assertThat(meters).as("meters in the Metrics table of docs/operations.md").isNotEmpty();
        return meters;
    }
}
