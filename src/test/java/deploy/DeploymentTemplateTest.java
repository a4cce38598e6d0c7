package deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * deploy/ must create on AWS what the app expects with AWS_PROVISION=false: the names, queue
 * settings and redrive policy of application.properties, the subscription and queue policy of
 * StackProvisioner, and an IAM policy granting exactly the calls the app makes.
 */
class DeploymentTemplateTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", ""));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "arn:aws:sns:REGION:ACCOUNT_ID:";
    private static final String QUEUE = "arn:aws:sqs:REGION:ACCOUNT_ID:";
    /** The stack name deploy/README.md deploys with. */
    private static final String STACK = "donut-states";

    private static Template template;
    private static Properties app;

    @BeforeAll
    static void load() throws IOException {
        template = new Template(new ObjectMapper(new YAMLFactory()).readTree(read("deploy/cloudformation.yaml")));
        app = new Properties();
        try (Reader in = Files.newBufferedReader(ROOT.resolve("src/main/resources/application.properties"))) {
            app.load(in);
        }
    }

    @Test
    void usesOnlyLongFormIntrinsicsSoAnyYamlParserReadsIt() throws IOException {
        // A YAML parser that does not know CloudFormation's tags would silently drop them.
        assertThat(read("deploy/cloudformation.yaml")).doesNotContainPattern("(?m)(:|-)\\s+!\\w+");
    }

    @Test
    void parameterDefaultsAreTheAppsDefaults() {
        assertThat(template.parameterDefault("TopicName")).isEqualTo(appDefault("aws.stock-topic"));
        assertThat(template.parameterDefault("QueueName")).isEqualTo(appDefault("aws.stock-queue"));
        assertThat(template.parameterDefault("DeadLetterQueueName")).isEqualTo(appDefault("aws.stock-dlq"));
        assertThat(template.parameterDefault("QueueRetentionSeconds")).isEqualTo(appDefault("aws.queue-retention-s"));
        assertThat(template.parameterDefault("DeadLetterQueueRetentionSeconds")).isEqualTo(appDefault("aws.dlq-retention-s"));
        assertThat(template.parameterDefault("VisibilityTimeoutSeconds")).isEqualTo(appDefault("aws.visibility-timeout-s"));
        assertThat(template.parameterDefault("MaxReceiveCount")).isEqualTo(appDefault("aws.max-receive-count"));
    }

    @Test
    void createsTheTopicAndQueuesTheAppLooksFor() {
        assertThat(template.resourcesOfType("AWS::SNS::Topic"))
                .extracting(topic -> template.resolve(topic.at("/Properties/TopicName")).asText())
                .containsExactlyInAnyOrder(appDefault("aws.stock-topic"), STACK + "-alarms");
        assertThat(template.resourcesOfType("AWS::SQS::Queue"))
                .extracting(queue -> template.resolve(queue.at("/Properties/QueueName")).asText())
                .containsExactlyInAnyOrder(appDefault("aws.stock-queue"), appDefault("aws.stock-dlq"));
    }

    @Test
    void queueRedrivesToTheDeadLetterQueueAfterTheAppsReceiveCount() {
        JsonNode redrive = template.resolve(queue(appDefault("aws.stock-queue")).at("/Properties/RedrivePolicy"));

        assertThat(redrive.path("deadLetterTargetArn").asText()).isEqualTo(QUEUE + appDefault("aws.stock-dlq"));
        assertThat(redrive.path("maxReceiveCount").asText()).isEqualTo(appDefault("aws.max-receive-count"));
    }

    @Test
    void queueSettingsAreTheAppsAndDeadLettersOutliveTheQueue() {
        JsonNode queue = template.resolve(queue(appDefault("aws.stock-queue")).path("Properties"));
        JsonNode dlq = template.resolve(queue(appDefault("aws.stock-dlq")).path("Properties"));

        assertThat(queue.path("VisibilityTimeout").asText()).isEqualTo(appDefault("aws.visibility-timeout-s"));
        assertThat(queue.path("MessageRetentionPeriod").asText()).isEqualTo(appDefault("aws.queue-retention-s"));
        assertThat(dlq.path("MessageRetentionPeriod").asText()).isEqualTo(appDefault("aws.dlq-retention-s"));
        // docs/design.md, "What SQS does": a dead letter keeps its original enqueue time.
        assertThat(dlq.path("MessageRetentionPeriod").asLong()).isGreaterThan(queue.path("MessageRetentionPeriod").asLong());
        assertThat(dlq.has("RedrivePolicy")).as("the DLQ redrives nowhere").isFalse();
    }

    @Test
    void topicDeliversToTheQueueInItsEnvelopeAsTheAppsProvisioningDoes() {
        List<JsonNode> subscriptions = template.resourcesOfType("AWS::SNS::Subscription").stream()
                .filter(subscription -> subscription.at("/Properties/Protocol").asText().equals("sqs")).toList();
        assertThat(subscriptions).hasSize(1);
        JsonNode subscription = template.resolve(subscriptions.get(0).path("Properties"));

        assertThat(subscription.path("TopicArn").asText()).isEqualTo(TOPIC + appDefault("aws.stock-topic"));
        assertThat(subscription.path("Protocol").asText()).isEqualTo("sqs");
        assertThat(subscription.path("Endpoint").asText()).isEqualTo(QUEUE + appDefault("aws.stock-queue"));
        // StackProvisioner subscribes without RawMessageDelivery, so AWS must deliver the same envelope.
        assertThat(subscription.path("RawMessageDelivery").asBoolean(false)).isFalse();
    }

    @Test
    void onlyTheTopicMaySendToTheQueue() {
        List<JsonNode> policies = template.resourcesOfType("AWS::SQS::QueuePolicy");
        assertThat(policies).hasSize(1);
        JsonNode policy = template.resolve(policies.get(0).path("Properties"));
        assertThat(policy.path("Queues")).containsExactly(TextNode.valueOf(queueUrl(appDefault("aws.stock-queue"))));

        JsonNode statements = policy.at("/PolicyDocument/Statement");
        assertThat(statements).hasSize(1);
        ObjectNode statement = ((ObjectNode) statements.get(0)).deepCopy();
        statement.remove("Sid");
        assertThat(statement).isEqualTo(json("""
                {"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage",
                 "Resource": "%s", "Condition": {"ArnEquals": {"aws:SourceArn": "%s"}}}"""
                .formatted(QUEUE + appDefault("aws.stock-queue"), TOPIC + appDefault("aws.stock-topic"))));
    }

    @Test
    void appPolicyGrantsExactlyTheCallsTheAppMakes() {
        String topic = TOPIC + appDefault("aws.stock-topic");
        String queue = QUEUE + appDefault("aws.stock-queue");
        String dlq = QUEUE + appDefault("aws.stock-dlq");
        // Each action and why: deploy/README.md, "What the app calls".
        Map<String, Set<String>> expected = new TreeMap<>(Map.of(
                "sqs:GetQueueAttributes", Set.of(queue),
                "sns:ListTopics", Set.of("*"),
                "sns:Publish", Set.of(topic),
                "sqs:ListQueues", Set.of("*"),
                "sqs:ReceiveMessage", Set.of(queue, dlq),
                "sqs:DeleteMessage", Set.of(queue, dlq),
                "sqs:ChangeMessageVisibility", Set.of(queue),
                "sqs:SendMessage", Set.of(dlq)));

        Map<String, Set<String>> granted = grants(appPolicy());

        assertThat(granted).isEqualTo(expected);
        assertThat(granted.keySet()).noneMatch(action -> action.contains("*"));
        granted.forEach((action, resources) -> {
            if (resources.contains("*")) {
                // Neither list action supports resource-level permissions.
                assertThat(action).as("an action granted on every resource").isIn("sns:ListTopics", "sqs:ListQueues");
            }
        });
    }

    @Test
    void iamPolicyFileIsTheTemplatesPolicy() throws IOException {
        assertThat(JSON.readTree(read("deploy/iam-policy.json"))).isEqualTo(appPolicy());
    }

    @Test
    void readmeExplainsEveryGrantedAction() throws IOException {
        Set<String> explained = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `((?:sns|sqs):\\w+)`").matcher(read("deploy/README.md"));
        while (row.find()) {
            explained.add(row.group(1));
        }
        assertThat(explained).isEqualTo(grants(appPolicy()).keySet());
    }

    @Test
    void outputsNameWhatTheAppAndItsRoleNeed() {
        JsonNode outputs = template.root.path("Outputs");
        assertThat(template.resolve(outputs.at("/TopicArn/Value")).asText()).isEqualTo(TOPIC + appDefault("aws.stock-topic"));
        assertThat(template.resolve(outputs.at("/QueueUrl/Value")).asText()).isEqualTo(queueUrl(appDefault("aws.stock-queue")));
        assertThat(template.resolve(outputs.at("/DeadLetterQueueUrl/Value")).asText()).isEqualTo(queueUrl(appDefault("aws.stock-dlq")));
        assertThat(outputs.at("/AppPolicyArn/Value")).isEqualTo(json("{\"Ref\": \"" + template.logicalIdOfType("AWS::IAM::ManagedPolicy") + "\"}"));
    }

    @Test
    void alarmsGoToTheOpsTopicWhichMailsTheGivenAddressOnlyWhenOneIsGiven() {
        String alarmTopic = TOPIC + STACK + "-alarms";
        List<JsonNode> alarms = template.resourcesOfType("AWS::CloudWatch::Alarm");
        assertThat(alarms).hasSize(3).allSatisfy(alarm -> {
            JsonNode properties = template.resolve(alarm.path("Properties"));
            assertThat(properties.path("AlarmActions")).containsExactly(TextNode.valueOf(alarmTopic));
            assertThat(properties.path("OKActions")).containsExactly(TextNode.valueOf(alarmTopic));
            // No data is what an idle queue or load balancer reports, not a fault.
            assertThat(properties.path("TreatMissingData").asText()).isEqualTo("notBreaching");
        });
        assertThat(template.resolve(template.root.at("/Outputs/AlarmTopicArn/Value")).asText()).isEqualTo(alarmTopic);

        JsonNode email = template.resourcesOfType("AWS::SNS::Subscription").stream()
                .filter(subscription -> subscription.at("/Properties/Protocol").asText().equals("email"))
                .findFirst().orElseGet(() -> fail("no email subscription"));
        assertThat(template.resolve(email.at("/Properties/TopicArn")).asText()).isEqualTo(alarmTopic);
        assertThat(email.at("/Properties/Endpoint")).isEqualTo(json("{\"Ref\": \"OpsEmail\"}"));
        assertThat(template.parameterDefault("OpsEmail")).isEmpty();
        assertOnlyWhenGiven(email, "OpsEmail");
    }

    @Test
    void aDeadLetterWaitingOnTheDeadLetterQueueRaisesAnAlarm() {
        JsonNode alarm = sqsAlarm("ApproximateNumberOfMessagesVisible", appDefault("aws.stock-dlq"), "GreaterThanOrEqualToThreshold");

        assertThat(alarm.path("Threshold").asDouble()).isEqualTo(1);
        assertThat(alarm.path("Period").asInt() * alarm.path("EvaluationPeriods").asInt()).as("seconds until it fires").isLessThanOrEqualTo(60);
    }

    @Test
    void theOldestMessageOnTheQueueRaisesAnAlarmOnceOlderThanAnyConsumerKeepsOne() {
        JsonNode alarm = sqsAlarm("ApproximateAgeOfOldestMessage", appDefault("aws.stock-queue"), "GreaterThanThreshold");

        assertThat(alarmOn("ApproximateAgeOfOldestMessage").at("/Properties/Threshold")).isEqualTo(json("{\"Ref\": \"QueueAgeAlarmSeconds\"}"));
        // A consumer keeps a message on the queue while it retries the factory, up to its lease, and a
        // lost receive brings one back after a visibility timeout and a long poll: neither may alarm.
        int longestLegitimateAge = Integer.parseInt(appDefault("factory.lease-s")) + Integer.parseInt(appDefault("aws.visibility-timeout-s"))
                + Integer.parseInt(appDefault("aws.poll-wait-s"));
        // README, "Every restock request ends": published again after 120 s; a few minutes means nobody consumes.
        assertThat(alarm.path("Threshold").asInt()).isGreaterThan(longestLegitimateAge).isLessThanOrEqualTo(600);
    }

    @Test
    void fiveHundredsOnTheLoadBalancerRaiseAnAlarmWhenTheLoadBalancerIsNamed() {
        JsonNode alarm = template.resourcesOfType("AWS::CloudWatch::Alarm").stream()
                .filter(candidate -> candidate.at("/Properties/Metrics").isArray())
                .findFirst().orElseGet(() -> fail("no alarm on metric math"));
        assertOnlyWhenGiven(alarm, "LoadBalancerFullName");
        assertThat(template.parameterDefault("LoadBalancerFullName")).isEmpty();

        JsonNode metrics = alarm.at("/Properties/Metrics");
        Map<String, String> measured = new TreeMap<>();
        for (JsonNode metric : metrics) {
            JsonNode stat = metric.path("MetricStat");
            if (stat.isObject()) {
                assertThat(stat.at("/Metric/Namespace").asText()).isEqualTo("AWS/ApplicationELB");
                assertThat(stat.at("/Metric/Dimensions")).isEqualTo(json("[{\"Name\": \"LoadBalancer\", \"Value\": {\"Ref\": \"LoadBalancerFullName\"}}]"));
                assertThat(stat.path("Stat").asText()).isEqualTo("Sum");
                measured.put(metric.path("Id").asText(), stat.at("/Metric/MetricName").asText());
            }
        }
        assertThat(measured.values()).containsExactlyInAnyOrder("HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count", "RequestCount");
        List<JsonNode> returned = new ArrayList<>();
        metrics.forEach(metric -> {
            if (metric.path("ReturnData").asBoolean(true)) {
                returned.add(metric);
            }
        });
        assertThat(returned).as("CloudWatch alarms on exactly one series").hasSize(1);
        assertThat(returned.get(0).path("Expression").asText()).as("a share of the answers, not a count").contains("100 *").contains("/");
        assertThat(alarm.at("/Properties/Threshold")).isEqualTo(json("{\"Ref\": \"LoadBalancer5xxPercent\"}"));
        assertThat(alarm.at("/Properties/ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
    }

    @Test
    void everyAlarmNamesTheRunbookSectionOnWhatToDo() throws IOException {
        Set<String> headings = new TreeSet<>();
        read("deploy/RUNBOOK.md").lines().filter(line -> line.startsWith("#")).forEach(line -> headings.add(line.replaceFirst("^#+\\s*", "")));
        for (JsonNode alarm : template.resourcesOfType("AWS::CloudWatch::Alarm")) {
            Matcher section = Pattern.compile("deploy/RUNBOOK\\.md, \"([^\"]+)\"").matcher(alarm.at("/Properties/AlarmDescription").asText());
            assertThat(section.find()).as("alarm %s names a runbook section", alarm.at("/Properties/AlarmDescription").asText()).isTrue();
            assertThat(headings).contains(section.group(1));
        }
    }

    /** The one alarm on this SQS metric, resolved, after checking the queue it watches and how it compares. */
    private static JsonNode sqsAlarm(String metricName, String queue, String comparison) {
        JsonNode alarm = template.resolve(alarmOn(metricName).path("Properties"));
        assertThat(alarm.path("Namespace").asText()).isEqualTo("AWS/SQS");
        assertThat(alarm.path("Dimensions")).isEqualTo(json("[{\"Name\": \"QueueName\", \"Value\": \"%s\"}]".formatted(queue)));
        assertThat(alarm.path("Statistic").asText()).isEqualTo("Maximum");
        assertThat(alarm.path("ComparisonOperator").asText()).isEqualTo(comparison);
        return alarm;
    }

    private static JsonNode alarmOn(String metricName) {
        List<JsonNode> alarms = template.resourcesOfType("AWS::CloudWatch::Alarm").stream()
                .filter(alarm -> alarm.at("/Properties/MetricName").asText().equals(metricName)).toList();
        assertThat(alarms).as("alarms on %s", metricName).hasSize(1);
        return alarms.get(0);
    }

    /** The resource's condition holds exactly when the parameter is not empty. */
    private static void assertOnlyWhenGiven(JsonNode resource, String parameter) {
        String condition = resource.path("Condition").asText();
        assertThat(condition).as("a condition on the resource").isNotEmpty();
        assertThat(template.root.path("Conditions").path(condition))
                .isEqualTo(json("{\"Fn::Not\": [{\"Fn::Equals\": [{\"Ref\": \"%s\"}, \"\"]}]}".formatted(parameter)));
    }

    @Test
    void dockerfileRunsTheJarThePomBuildsOnTheAppsPortAsAnUnprivilegedUser() throws Exception {
        String finalName = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve("pom.xml").toFile())
                .getElementsByTagName("finalName").item(0).getTextContent().trim();
        List<String> lines = dockerfileInstructions();

        String copied = lines.stream().filter(line -> line.startsWith("COPY "))
                .map(line -> line.split("\\s+"))
                .filter(words -> words[words.length - 2].endsWith("target/" + finalName + ".jar"))
                .map(words -> words[words.length - 1])
                .findFirst().orElseGet(() -> fail("no COPY of target/" + finalName + ".jar in deploy/Dockerfile"));
        assertThat(lines).filteredOn(line -> line.startsWith("ENTRYPOINT ")).singleElement().asString()
                .contains("\"-jar\", \"" + copied + "\"");
        assertThat(lines).contains("EXPOSE " + appDefault("app.port") + " " + imageManagementPort());
        assertThat(lines).filteredOn(line -> line.startsWith("USER ")).last().asString()
                .doesNotContain("root").doesNotMatch("USER 0(:.*)?");
        // What the HEALTHCHECK runs, and that it runs in this image: ContainerHealthCheckTest.
        assertThat(lines).filteredOn(line -> line.startsWith("HEALTHCHECK ")).singleElement().asString()
                .contains(ContainerHealthCheckTest.LIVENESS);
    }

    /**
     * The image starts from the AOT cache its training stage recorded, on the JVM that recorded
     * it: the JVM quietly starts without a cache that is missing or was made by another JVM.
     */
    @Test
    void theImageStartsFromTheAotCacheItsTrainingRunRecordedOnTheSameJvm() throws Exception {
        List<String> lines = dockerfileInstructions();
        Matcher entrypoint = Pattern.compile("\"-XX:AOTCache=([^\"]+)\"")
                .matcher(lines.stream().filter(line -> line.startsWith("ENTRYPOINT ")).findFirst().orElseThrow());
        assertThat(entrypoint.find()).as("the ENTRYPOINT names an AOT cache").isTrue();
        String cache = entrypoint.group(1);
        assertThat(lines).as("the runtime stage copies the cache from the training stage")
                .contains("COPY --from=training " + cache + " " + cache);
        List<String> runtimes = lines.stream().filter(line -> line.startsWith("FROM ") && !line.contains(" AS ")
                || line.endsWith(" AS training")).map(line -> line.split("\\s+")[1]).toList();
        assertThat(runtimes).as("the training stage's JVM and the runtime's").hasSize(2);
        assertThat(runtimes.get(0)).isEqualTo(runtimes.get(1));
        assertThat(read("deploy/aot-training.sh")).contains("jvm_record_option " + cache);
    }

    /**
     * A stopping instance is taken out of the target group while it still serves: the health
     * check's interval × unhealthy threshold plus one check's timeout stays under the app's
     * SHUTDOWN_DRAIN_S, the check's timeout outlasts the SNS call readiness makes, and the
     * deregistration delay is at least the drain (deploy/README.md, "Stopping and rolling deploys").
     */
    @Test
    void theTargetGroupTakesAStoppingInstanceOutBeforeItsDrainEnds() {
        JsonNode checked = template.resource(template.logicalIdOfType("AWS::ElasticLoadBalancingV2::TargetGroup")).path("Properties");
        int drainS = Integer.parseInt(appDefault("shutdown.drain-s"));
        int outWithinS = checked.path("HealthCheckIntervalSeconds").asInt() * checked.path("UnhealthyThresholdCount").asInt()
                + checked.path("HealthCheckTimeoutSeconds").asInt();

        assertThat(outWithinS).as("seconds until the balancer takes a stopping instance out").isPositive().isLessThan(drainS);
        assertThat(checked.path("HealthCheckTimeoutSeconds").asInt() * 1000)
                .isGreaterThan(Integer.parseInt(appDefault("aws.health-check-timeout-ms")));
        List<String> delay = new ArrayList<>();
        checked.path("TargetGroupAttributes").forEach(attribute -> {
            if (attribute.path("Key").asText().equals("deregistration_delay.timeout_seconds")) {
                delay.add(attribute.path("Value").asText());
            }
        });
        assertThat(delay).hasSize(1);
        assertThat(Integer.parseInt(delay.get(0))).as("deregistration delay").isGreaterThanOrEqualTo(drainS);
    }

    /**
     * The image moves health and metrics off the API's port; the target group sends traffic to the
     * API's port and checks readiness on the management port, and only the load balancer reaches
     * either (Prometheus, when named, the management port alone).
     */
    @Test
    void theTargetGroupChecksReadinessOnTheManagementPortThatOnlyTheLoadBalancerReaches() throws IOException {
        assertThat(dockerfileInstructions()).contains("ENV PORT=" + appDefault("app.port") + " MANAGEMENT_PORT=" + imageManagementPort());
        assertThat(template.parameterDefault("AppPort")).isEqualTo(appDefault("app.port"));
        assertThat(template.parameterDefault("ManagementPort")).isEqualTo(imageManagementPort()).isNotEqualTo(appDefault("app.port"));
        assertThat(app.getProperty("app.management-port").trim()).as("the app's own default: one port, as ./run.sh serves it")
                .isEqualTo("{{env:MANAGEMENT_PORT:{{app.port}}}}");

        JsonNode targetGroup = template.resource(template.logicalIdOfType("AWS::ElasticLoadBalancingV2::TargetGroup"));
        assertOnlyWhenGiven(targetGroup, "VpcId");
        JsonNode checked = targetGroup.path("Properties");
        assertThat(checked.path("Port")).isEqualTo(json("{\"Ref\": \"AppPort\"}"));
        assertThat(checked.path("HealthCheckPort")).isEqualTo(json("{\"Ref\": \"ManagementPort\"}"));
        assertThat(checked.path("HealthCheckPath").asText())
                .isEqualTo(app.getProperty("camel.management.health-path", "/observe/health") + "/ready");
        assertThat(checked.at("/Matcher/HttpCode").asText()).isEqualTo("200");

        JsonNode group = template.resource(template.logicalIdOfType("AWS::EC2::SecurityGroup"));
        assertOnlyWhenGiven(group, "VpcId");
        List<String> ingress = new ArrayList<>();
        group.at("/Properties/SecurityGroupIngress").forEach(rule -> {
            assertThat(rule.path("FromPort")).isEqualTo(rule.path("ToPort"));
            assertThat(rule.has("CidrIp") || rule.has("CidrIpv6")).as("an address range in %s", rule).isFalse();
            ingress.add(rule.path("FromPort").path("Ref").asText() + " from " + rule.path("SourceSecurityGroupId").path("Ref").asText());
        });
        assertThat(ingress).containsExactlyInAnyOrder("AppPort from LoadBalancerSecurityGroupId",
                "ManagementPort from LoadBalancerSecurityGroupId");

        JsonNode monitoring = template.resource(template.logicalIdOfType("AWS::EC2::SecurityGroupIngress"));
        assertThat(template.root.at("/Conditions/" + monitoring.path("Condition").asText() + "/Fn::And/0/Condition").asText())
                .isEqualTo(group.path("Condition").asText());
        JsonNode scrape = monitoring.path("Properties");
        assertThat(scrape.path("FromPort")).isEqualTo(json("{\"Ref\": \"ManagementPort\"}"));
        assertThat(scrape.path("ToPort")).isEqualTo(json("{\"Ref\": \"ManagementPort\"}"));
        assertThat(scrape.path("SourceSecurityGroupId")).isEqualTo(json("{\"Ref\": \"MonitoringSecurityGroupId\"}"));
        assertThat(template.root.path("Rules").toString()).as("the stack refuses one port for both")
                .contains("{\"Ref\":\"AppPort\"}", "{\"Ref\":\"ManagementPort\"}");
    }

    /** The MANAGEMENT_PORT the image sets. */
    private static String imageManagementPort() throws IOException {
        return dockerfileInstructions().stream().filter(line -> line.startsWith("ENV "))
                .flatMap(line -> java.util.Arrays.stream(line.substring(4).trim().split("\\s+")))
                .filter(setting -> setting.startsWith("MANAGEMENT_PORT="))
                .map(setting -> setting.substring("MANAGEMENT_PORT=".length()))
                .findFirst().orElseGet(() -> fail("deploy/Dockerfile sets no MANAGEMENT_PORT"));
    }

    private static JsonNode queue(String name) {
        return template.resourcesOfType("AWS::SQS::Queue").stream()
                .filter(queue -> template.resolve(queue.at("/Properties/QueueName")).asText().equals(name))
                .findFirst().orElseGet(() -> fail("no queue named " + name + " in the template"));
    }

    private static JsonNode appPolicy() {
        List<JsonNode> policies = template.resourcesOfType("AWS::IAM::ManagedPolicy");
        assertThat(policies).hasSize(1);
        return template.resolve(policies.get(0).at("/Properties/PolicyDocument"));
    }

    /** Action to resources, over Allow statements that have no conditions or exclusions. */
    private static Map<String, Set<String>> grants(JsonNode policy) {
        Map<String, Set<String>> grants = new TreeMap<>();
        for (JsonNode statement : policy.path("Statement")) {
            Set<String> keys = new TreeSet<>();
            statement.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).as("statement %s", statement).isSubsetOf("Sid", "Effect", "Action", "Resource");
            assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
            for (String action : texts(statement.path("Action"))) {
                grants.computeIfAbsent(action, a -> new TreeSet<>()).addAll(texts(statement.path("Resource")));
            }
        }
        return grants;
    }

    private static List<String> texts(JsonNode stringOrList) {
        List<String> texts = new ArrayList<>();
        if (stringOrList.isArray()) {
            stringOrList.forEach(node -> texts.add(node.asText()));
        } else {
            texts.add(stringOrList.asText());
        }
        return texts;
    }

    /** The Dockerfile's instructions, continuation lines joined and comments dropped. */
    private static List<String> dockerfileInstructions() throws IOException {
        String joined = read("deploy/Dockerfile").replaceAll("(?m)^\\s*#.*\\n", "").replaceAll("\\\\\\n\\s*", " ");
        return joined.lines().map(String::trim).filter(line -> !line.isEmpty()).toList();
    }

    /** The default of a {{env:VAR:default}} setting, read as data rather than through Camel. */
    private static String appDefault(String property) {
        String value = app.getProperty(property);
        assertThat(value).as("application.properties has %s", property).isNotNull();
        Matcher placeholder = Pattern.compile("\\{\\{env:[A-Z0-9_]+:(.*)}}").matcher(value.trim());
        assertThat(placeholder.matches()).as("%s is {{env:VAR:default}}", property).isTrue();
        return placeholder.group(1);
    }

    private static String queueUrl(String name) {
        return "https://sqs.REGION.amazonaws.com/ACCOUNT_ID/" + name;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static String read(String path) throws IOException {
        return Files.readString(ROOT.resolve(path));
    }

    /**
     * Evaluates the intrinsics this template uses, with the parameters at their defaults and the
     * account and region as the placeholders deploy/iam-policy.json carries. Anything else fails,
     * so the test never passes on a value it did not understand.
     */
    private static final class Template {

        private static final Pattern SUB = Pattern.compile("\\$\\{([^}]+)}");
        private static final Map<String, String> PSEUDO = Map.of(
                "AWS::Region", "REGION", "AWS::AccountId", "ACCOUNT_ID", "AWS::Partition", "aws", "AWS::StackName", STACK);

        final JsonNode root;

        Template(JsonNode root) {
            this.root = root;
        }

        String parameterDefault(String name) {
            JsonNode parameter = root.path("Parameters").path(name);
            assertThat(parameter.has("Default")).as("parameter %s with a default", name).isTrue();
            return parameter.path("Default").asText();
        }

        List<JsonNode> resourcesOfType(String type) {
            List<JsonNode> found = new ArrayList<>();
            root.path("Resources").forEach(resource -> {
                if (resource.path("Type").asText().equals(type)) {
                    found.add(resource);
                }
            });
            return found;
        }

        String logicalIdOfType(String type) {
            List<String> ids = new ArrayList<>();
            root.path("Resources").fields().forEachRemaining(entry -> {
                if (entry.getValue().path("Type").asText().equals(type)) {
                    ids.add(entry.getKey());
                }
            });
            assertThat(ids).hasSize(1);
            return ids.get(0);
        }

        JsonNode resolve(JsonNode node) {
            if (node.isObject() && node.size() == 1) {
                String key = node.fieldNames().next();
                JsonNode argument = node.get(key);
                switch (key) {
                    case "Ref":
                        return TextNode.valueOf(ref(argument.asText()));
                    case "Fn::GetAtt":
                        return TextNode.valueOf(getAtt(argument.get(0).asText(), argument.get(1).asText()));
                    case "Fn::Sub":
                        return TextNode.valueOf(sub(argument.asText()));
                    default:
                        if (key.startsWith("Fn::")) {
                            fail("the test does not evaluate " + key);
                        }
                }
            }
            if (node.isObject()) {
                ObjectNode resolved = JsonNodeFactory.instance.objectNode();
                node.fields().forEachRemaining(entry -> resolved.set(entry.getKey(), resolve(entry.getValue())));
                return resolved;
            }
            if (node.isArray()) {
                ArrayNode resolved = JsonNodeFactory.instance.arrayNode();
                node.forEach(element -> resolved.add(resolve(element)));
                return resolved;
            }
            return node;
        }

        private String ref(String name) {
            if (PSEUDO.containsKey(name)) {
                return PSEUDO.get(name);
            }
            if (root.path("Parameters").has(name)) {
                return parameterDefault(name);
            }
            JsonNode resource = resource(name);
            return switch (resource.path("Type").asText()) {
                case "AWS::SNS::Topic" -> TOPIC + resolve(resource.at("/Properties/TopicName")).asText();
                case "AWS::SQS::Queue" -> queueUrl(resolve(resource.at("/Properties/QueueName")).asText());
                default -> fail("the test does not evaluate Ref of a " + resource.path("Type").asText());
            };
        }

        private String getAtt(String name, String attribute) {
            JsonNode resource = resource(name);
            if (resource.path("Type").asText().equals("AWS::SQS::Queue") && attribute.equals("Arn")) {
                return QUEUE + resolve(resource.at("/Properties/QueueName")).asText();
            }
            return fail("the test does not evaluate Fn::GetAtt " + name + "." + attribute);
        }

        private String sub(String text) {
            Matcher variable = SUB.matcher(text);
            StringBuilder resolved = new StringBuilder();
            while (variable.find()) {
                String[] parts = variable.group(1).split("\\.", 2);
                String value = parts.length == 2 ? getAtt(parts[0], parts[1]) : ref(parts[0]);
                variable.appendReplacement(resolved, Matcher.quoteReplacement(value));
            }
            return variable.appendTail(resolved).toString();
        }

        private JsonNode resource(String name) {
            JsonNode resource = root.path("Resources").path(name);
            assertThat(resource.isObject()).as("resource %s in the template", name).isTrue();
            return resource;
        }
    }
}
