package deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import config.AppSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * deploy/cloudformation.yaml must run on AWS the app that application.properties describes: the
 * names, queue settings and redrive policy the app expects with AWS_PROVISION=false, the
 * subscription and queue policy of StackProvisioner, an IAM policy granting exactly the calls the
 * app makes, a task definition whose environment and secrets are the variables the app reads, a
 * health model in which only a task that does not serve leaves the load balancer, a stop sequence
 * that fits ECS, and alarms on the metrics and queues that tell when ops are not being told.
 */
class DeploymentTemplateTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", ""));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "arn:aws:sns:REGION:ACCOUNT_ID:";
    private static final String QUEUE = "arn:aws:sqs:REGION:ACCOUNT_ID:";
    /** The stack name deploy/README.md deploys with. */
    private static final String STACK = "donut-states";
    private static final String CONTAINER = "donut-states";
    /** What a team gives for the parameters that have no default (deploy/README.md, "Deploying"). */
    private static final Map<String, JsonNode> GIVEN = Map.ofEntries(
            Map.entry("VpcId", TextNode.valueOf("vpc-0123456789abcdef0")),
            Map.entry("PrivateSubnetIds", list("subnet-private-a", "subnet-private-b")),
            Map.entry("PublicSubnetIds", list("subnet-public-a", "subnet-public-b")),
            Map.entry("CertificateArn", TextNode.valueOf("arn:aws:acm:REGION:ACCOUNT_ID:certificate/shop")),
            Map.entry("ImageUri", TextNode.valueOf("ACCOUNT_ID.dkr.ecr.REGION.amazonaws.com/donut-states:1.0.0")),
            Map.entry("FactoryUrl", TextNode.valueOf("https://factory.example.com")),
            Map.entry("PublicBaseUrl", TextNode.valueOf("https://shop.example.com")),
            Map.entry("OpsEmail", TextNode.valueOf("ops@example.com")),
            Map.entry("OpsFrom", TextNode.valueOf("restock@example.com")),
            Map.entry("SmtpUser", TextNode.valueOf("AKIAEXAMPLE")),
            Map.entry("SmtpPasswordSecretArn", TextNode.valueOf("arn:aws:secretsmanager:REGION:ACCOUNT_ID:secret:smtp-AbCdEf")));
    /** An existing database instead of the one the stack makes. */
    private static final Map<String, JsonNode> EXISTING_DATABASE = Map.of(
            "DbHost", TextNode.valueOf("shared.cluster-abc.REGION.rds.amazonaws.com"),
            "DbPasswordSecretArn", TextNode.valueOf("arn:aws:secretsmanager:REGION:ACCOUNT_ID:secret:shared-db-AbCdEf"));

    private static String text;
    private static Template template;
    private static Set<String> appVariables;

    @BeforeAll
    static void load() throws IOException {
        text = read("deploy/cloudformation.yaml");
        template = new Template(new ObjectMapper(new YAMLFactory()).readTree(text), Map.of());
        appVariables = new TreeSet<>();
        Matcher placeholder = Pattern.compile("\\{\\{env:([A-Z0-9_]+)").matcher(read("src/main/resources/application.properties"));
        while (placeholder.find()) {
            appVariables.add(placeholder.group(1));
        }
    }

    @Test
    void usesOnlyLongFormIntrinsicsSoAnyYamlParserReadsIt() {
        // A YAML parser that does not know CloudFormation's tags would silently drop them.
        assertThat(text).doesNotContainPattern("(?m)(:|-)\\s+!\\w+");
    }

    @Test
    void isSmallEnoughForCloudFormationDeployWithoutAnS3Bucket() {
        // CloudFormation takes a template body of up to 51,200 bytes; beyond, `deploy` needs --s3-bucket.
        assertThat(text.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(51_200);
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
        assertThat(template.parameterDefault("ShutdownTimeoutSeconds")).isEqualTo(appDefault("camel.main.shutdown-timeout"));
        assertThat(template.parameterDefault("AppPort")).isEqualTo(appDefault("app.port"));
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
    void appPolicyGrantsExactlyTheCallsTheAppMakesEachOnItsResource() {
        String topic = TOPIC + appDefault("aws.stock-topic");
        String queue = QUEUE + appDefault("aws.stock-queue");
        String dlq = QUEUE + appDefault("aws.stock-dlq");
        // Each action and why: deploy/README.md, "What the app calls". No grant on "*": given
        // ARNs, Camel's endpoints list no topics or queues.
        Map<String, Set<String>> expected = new TreeMap<>(Map.of(
                "sns:GetTopicAttributes", Set.of(topic),
                "sns:Publish", Set.of(topic),
                "sqs:GetQueueAttributes", Set.of(queue),
                "sqs:GetQueueUrl", Set.of(queue),
                "sqs:ReceiveMessage", Set.of(queue, dlq),
                "sqs:DeleteMessage", Set.of(queue, dlq),
                "sqs:ChangeMessageVisibility", Set.of(queue),
                "sqs:SendMessage", Set.of(dlq)));

        assertThat(grants(appPolicy())).isEqualTo(expected);
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
    void theTaskRoleIsTheAppsPolicyAndNothingButEcsExecsChannelsBesides() {
        JsonNode role = template.resolve(template.resource(taskDefinition().at("/TaskRoleArn/Fn::GetAtt/0").asText()).path("Properties"));
        assertThat(role.path("ManagedPolicyArns")).containsExactly(TextNode.valueOf("ref:" + template.logicalIdOfType("AWS::IAM::ManagedPolicy")));
        assertTrustsEcsTasksOnly(role);
        Map<String, Set<String>> exec = new TreeMap<>();
        role.path("Policies").forEach(policy -> grants(policy.path("PolicyDocument")).forEach(exec::put));
        assertThat(exec.keySet()).as("what the task may call besides the app's policy").allMatch(action -> action.startsWith("ssmmessages:"))
                .containsExactlyInAnyOrder("ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                        "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel");

        JsonNode withoutExec = new Template(template.root, Map.of("EnableEcsExec", TextNode.valueOf("false")))
                .resolve(template.resource("TaskRole").path("Properties"));
        assertThat(withoutExec.has("Policies")).as("no ECS Exec, no SSM channels").isFalse();
    }

    @Test
    void theExecutionRolePullsTheImageWritesTheLogAndReadsOnlyTheAppsSecrets() {
        for (Template scenario : List.of(template, new Template(template.root, EXISTING_DATABASE))) {
            JsonNode role = scenario.resolve(template.resource(taskDefinition().at("/ExecutionRoleArn/Fn::GetAtt/0").asText()).path("Properties"));
            assertTrustsEcsTasksOnly(role);
            assertThat(role.has("ManagedPolicyArns")).as("no managed policy, whose grants this test cannot see").isFalse();
            Map<String, Set<String>> granted = new TreeMap<>();
            role.path("Policies").forEach(policy -> grants(policy.path("PolicyDocument")).forEach((action, resources) ->
                    granted.computeIfAbsent(action, a -> new TreeSet<>()).addAll(resources)));

            Set<String> secrets = new TreeSet<>();
            scenario.resolve(container(scenario).path("Secrets")).forEach(secret ->
                    secrets.add(secret.path("ValueFrom").asText().replaceFirst(":[^:]*::$", "")));
            String ecrRepositories = "arn:aws:ecr:REGION:ACCOUNT_ID:repository/*";
            assertThat(granted).isEqualTo(Map.of(
                    "ecr:GetAuthorizationToken", Set.of("*"),
                    "ecr:BatchCheckLayerAvailability", Set.of(ecrRepositories),
                    "ecr:GetDownloadUrlForLayer", Set.of(ecrRepositories),
                    "ecr:BatchGetImage", Set.of(ecrRepositories),
                    "logs:CreateLogStream", Set.of("getatt:AppLogGroup.Arn"),
                    "logs:PutLogEvents", Set.of("getatt:AppLogGroup.Arn"),
                    "secretsmanager:GetSecretValue", secrets));
            assertThat(container(scenario).at("/LogConfiguration/Options/awslogs-group")).isEqualTo(json("{\"Ref\": \"AppLogGroup\"}"));
        }
    }

    /**
     * Every variable the task sets is one the app reads (an {{env:NAME:...}} placeholder of
     * application.properties), each once; what the app needs on AWS is there; credentials and
     * secrets come only from Secrets Manager, and nothing points the app at an emulator.
     */
    @Test
    void theTaskGetsTheVariablesTheAppReadsAndItsSecretsFromSecretsManager() throws IOException {
        JsonNode container = template.resolve(container(template));
        Map<String, String> environment = named(container.path("Environment"), "Value");
        Map<String, String> secrets = named(container.path("Secrets"), "ValueFrom");

        Set<String> set = new TreeSet<>(environment.keySet());
        set.addAll(secrets.keySet());
        assertThat(environment.keySet()).as("variables both plain and secret").doesNotContainAnyElementsOf(secrets.keySet());
        Set<String> unknown = new TreeSet<>(set);
        unknown.removeAll(appVariables);
        assertThat(unknown).as("variables application.properties does not read").isEmpty();

        assertThat(set).containsAll(List.of("PORT", "MANAGEMENT_PORT", "AWS_REGION", "AWS_PROVISION", "DB_URL", "DB_USER", "DB_PASSWORD",
                "ADMIN_TOKEN", "ADMIN_TOKEN_PREVIOUS", "CALLBACK_SECRET", "CALLBACK_SECRET_PREVIOUS", "FACTORY_URL", "PUBLIC_BASE_URL", "OPS_EMAIL", "OPS_FROM", "SMTP_HOST", "SMTP_PORT",
                "SMTP_USER", "SMTP_PASSWORD", "SMTP_STARTTLS", "LOG_FORMAT", "SHUTDOWN_DRAIN_S", "SHUTDOWN_TIMEOUT_S",
                "STOCK_TOPIC", "STOCK_QUEUE", "STOCK_DLQ", "STOCK_QUEUE_RETENTION_S", "STOCK_DLQ_RETENTION_S",
                "STOCK_QUEUE_VISIBILITY_TIMEOUT_S", "STOCK_QUEUE_MAX_RECEIVE_COUNT"));
        assertThat(environment.keySet()).as("secrets in plain text").noneMatch(name -> name.matches(".*(TOKEN|SECRET|PASSWORD|KEY).*"));
        assertThat(set).as("an emulator's endpoint, or keys that would override the task role")
                .doesNotContain("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN");
        assertThat(secrets.values()).allMatch(arn -> arn.startsWith("arn:aws:secretsmanager:") || arn.startsWith("ref:"));

        // The stack owns the resources; the app refuses the simulator and dev secrets against AWS.
        assertThat(environment).containsEntry("AWS_PROVISION", "false").containsEntry("FACTORY_SIMULATOR", "off")
                .containsEntry("LOG_FORMAT", "json").containsEntry("SMTP_STARTTLS", "true")
                .containsEntry("AWS_REGION", "REGION").containsEntry("SMTP_HOST", "email-smtp.REGION.amazonaws.com");
        JsonNode raw = container(template).path("Environment");
        Map<String, String> fromParameter = new TreeMap<>(Map.of("PORT", "AppPort", "MANAGEMENT_PORT", "ManagementPort",
                "STOCK_QUEUE_RETENTION_S", "QueueRetentionSeconds", "STOCK_DLQ_RETENTION_S", "DeadLetterQueueRetentionSeconds",
                "STOCK_QUEUE_VISIBILITY_TIMEOUT_S", "VisibilityTimeoutSeconds", "STOCK_QUEUE_MAX_RECEIVE_COUNT", "MaxReceiveCount"));
        fromParameter.putAll(Map.of("SHUTDOWN_DRAIN_S", "ShutdownDrainSeconds", "SHUTDOWN_TIMEOUT_S", "ShutdownTimeoutSeconds",
                "FACTORY_URL", "FactoryUrl", "PUBLIC_BASE_URL", "PublicBaseUrl", "OPS_EMAIL", "OpsEmail", "OPS_FROM", "OpsFrom",
                "DB_USER", "DbUser", "SMTP_USER", "SmtpUser", "SMTP_PORT", "SmtpPort"));
        fromParameter.forEach((variable, parameter) ->
                assertThat(named(raw, "Value").get(variable)).as(variable).isEqualTo("{\"Ref\":\"" + parameter + "\"}"));
        // By ARN, the stack's own resources: the app's endpoints then look nothing up as its routes are made.
        assertThat(environment).containsEntry("STOCK_TOPIC", TOPIC + template.parameterDefault("TopicName"))
                .containsEntry("STOCK_QUEUE", QUEUE + template.parameterDefault("QueueName"))
                .containsEntry("STOCK_DLQ", QUEUE + template.parameterDefault("DeadLetterQueueName"));
        assertThat(environment.get("DB_URL")).isEqualTo("jdbc:mysql://getatt:Database.Endpoint.Address:getatt:Database.Endpoint.Port/"
                + template.parameterDefault("DbName") + "?sslMode=REQUIRED");
        assertThat(environment.get("MANAGEMENT_PORT")).isEqualTo(imageManagementPort()).isNotEqualTo(environment.get("PORT"));
        assertThat(container.path("PortMappings")).extracting(mapping -> mapping.path("ContainerPort").asText())
                .containsExactly(environment.get("PORT"), environment.get("MANAGEMENT_PORT"));
    }

    /**
     * ADMIN_TOKEN and CALLBACK_SECRET are keys of secrets the stack generates, with a "previous"
     * key beside each for rotation (empty until one runs; ECS cannot start a task whose JSON key
     * is missing); the database password is the key "password" of the stack's or the team's secret.
     */
    @Test
    void theAppsSecretsAreKeysOfSecretsManagerSecretsWithARotationSlot() {
        Map<String, String> secrets = named(template.resolve(container(template).path("Secrets")), "ValueFrom");
        assertThat(secrets).containsEntry("ADMIN_TOKEN", "ref:AdminTokenSecret:current::")
                .containsEntry("ADMIN_TOKEN_PREVIOUS", "ref:AdminTokenSecret:previous::")
                .containsEntry("CALLBACK_SECRET", "ref:CallbackSecret:current::")
                .containsEntry("CALLBACK_SECRET_PREVIOUS", "ref:CallbackSecret:previous::")
                .containsEntry("DB_PASSWORD", "ref:DatabaseSecret:password::")
                .containsEntry("SMTP_PASSWORD", GIVEN.get("SmtpPasswordSecretArn").asText());
        for (String secret : List.of("AdminTokenSecret", "CallbackSecret")) {
            JsonNode generated = template.resource(secret).at("/Properties/GenerateSecretString");
            assertThat(generated.path("GenerateStringKey").asText()).isEqualTo("current");
            assertThat(json(generated.path("SecretStringTemplate").asText())).isEqualTo(json("{\"previous\": \"\"}"));
            // StartupChecks: at least 16 characters.
            assertThat(generated.path("PasswordLength").asInt()).isGreaterThanOrEqualTo(32);
        }
        JsonNode database = template.resolve(template.resource("DatabaseSecret").at("/Properties/GenerateSecretString"));
        assertThat(database.path("GenerateStringKey").asText()).isEqualTo("password");
        assertThat(json(database.path("SecretStringTemplate").asText())).isEqualTo(json("{\"username\": \"donut\"}"));
        assertThat(template.resource("Database").at("/Properties/MasterUserPassword/Fn::Sub").asText())
                .isEqualTo("{{resolve:secretsmanager:${DatabaseSecret}:SecretString:password}}");

        Outputs outputs = new Outputs(template);
        assertThat(outputs.value("AdminTokenSecretArn")).isEqualTo("ref:AdminTokenSecret");
        assertThat(outputs.value("CallbackSecretArn")).isEqualTo("ref:CallbackSecret");
        assertThat(outputs.value("DatabaseSecretArn")).isEqualTo("ref:DatabaseSecret");
    }

    @Test
    void anExistingDatabaseTakesThePlaceOfTheOneTheStackMakes() {
        Template existing = new Template(template.root, EXISTING_DATABASE);
        JsonNode container = existing.resolve(container(existing));

        assertThat(existing.resourcesOfType("AWS::RDS::DBInstance")).isEmpty();
        assertThat(existing.resourcesOfType("AWS::RDS::DBSubnetGroup")).isEmpty();
        assertThat(existing.resourcesOfType("AWS::SecretsManager::Secret")).hasSize(2);
        assertThat(existing.resourcesOfType("AWS::CloudWatch::Alarm"))
                .noneMatch(alarm -> alarm.at("/Properties/Namespace").asText().equals("AWS/RDS"));
        assertThat(named(container.path("Environment"), "Value").get("DB_URL"))
                .isEqualTo("jdbc:mysql://" + EXISTING_DATABASE.get("DbHost").asText() + ":3306/donut_states?sslMode=REQUIRED");
        assertThat(named(container.path("Secrets"), "ValueFrom").get("DB_PASSWORD"))
                .isEqualTo(EXISTING_DATABASE.get("DbPasswordSecretArn").asText() + ":password::");
        assertThat(new Outputs(existing).value("DatabaseSecretArn")).isEqualTo(EXISTING_DATABASE.get("DbPasswordSecretArn").asText());
        // The stack refuses the mixtures: a host without its secret, a secret without a host.
        assertThat(template.root.path("Rules").toString()).contains("{\"Ref\":\"DbPasswordSecretArn\"}", "{\"Ref\":\"DbHost\"}");
    }

    /**
     * The balancer asks one thing: does this task serve? /observe/health/ready on the management
     * port is 503 only while a task starts or drains, so a database, SNS or SQS outage takes no
     * task out of the target group and makes ECS replace none (deploy/README.md, "Health").
     */
    @Test
    void theLoadBalancerChecksOnlyWhetherTheTaskServesOnTheManagementPort() throws IOException {
        JsonNode targetGroup = template.resolve(template.resource(template.logicalIdOfType("AWS::ElasticLoadBalancingV2::TargetGroup")).path("Properties"));
        JsonNode raw = template.resource(template.logicalIdOfType("AWS::ElasticLoadBalancingV2::TargetGroup")).path("Properties");
        assertThat(raw.path("Port")).isEqualTo(json("{\"Ref\": \"AppPort\"}"));
        assertThat(raw.path("HealthCheckPort")).isEqualTo(json("{\"Ref\": \"ManagementPort\"}"));
        assertThat(targetGroup.path("HealthCheckPath").asText()).isEqualTo(healthPath() + "/ready");
        assertThat(targetGroup.at("/Matcher/HttpCode").asText()).isEqualTo("200");
        assertThat(targetGroup.path("TargetType").asText()).as("Fargate tasks (awsvpc)").isEqualTo("ip");
        assertThat(template.parameterDefault("ManagementPort")).isEqualTo(imageManagementPort()).isNotEqualTo(appDefault("app.port"));
        assertThat(AppSettings.written("app.management-port")).as("the app's own default: one port, as ./run.sh serves it")
                .isEqualTo("{{env:MANAGEMENT_PORT:{{app.port}}}}");
        assertThat(template.root.path("Rules").toString()).as("the stack refuses one port for both")
                .contains("{\"Ref\":\"AppPort\"}", "{\"Ref\":\"ManagementPort\"}");

        JsonNode service = template.resource("Service").path("Properties");
        assertThat(service.path("LoadBalancers")).singleElement().satisfies(balanced -> {
            assertThat(balanced.path("ContainerName").asText()).isEqualTo(CONTAINER);
            assertThat(balanced.path("ContainerPort")).isEqualTo(json("{\"Ref\": \"AppPort\"}"));
        });

        Map<String, JsonNode> listeners = new TreeMap<>();
        template.resourcesOfType("AWS::ElasticLoadBalancingV2::Listener").forEach(listener ->
                listeners.put(listener.at("/Properties/Protocol").asText(), template.resolve(listener.path("Properties"))));
        assertThat(listeners.keySet()).containsExactly("HTTP", "HTTPS");
        assertThat(listeners.get("HTTPS").path("Port").asInt()).isEqualTo(443);
        assertThat(listeners.get("HTTPS").at("/Certificates/0/CertificateArn").asText()).isEqualTo(GIVEN.get("CertificateArn").asText());
        assertThat(listeners.get("HTTPS").at("/DefaultActions/0/Type").asText()).isEqualTo("forward");
        assertThat(listeners.get("HTTP").at("/DefaultActions/0/RedirectConfig/Protocol").asText()).isEqualTo("HTTPS");

        JsonNode balancer = template.resolve(template.resource("LoadBalancer").path("Properties"));
        assertThat(named(balancer.path("LoadBalancerAttributes"), "Value", "Key"))
                .as("idle connections end at the balancer, below the app's keep-alive").containsEntry("idle_timeout.timeout_seconds", "60");
        assertThat(balancer.path("Subnets")).isEqualTo(GIVEN.get("PublicSubnetIds"));
    }

    /** The container's health check is the image's own liveness probe (ContainerHealthCheckTest runs it). */
    @Test
    void theContainerHealthCheckIsTheImagesLivenessProbe() throws IOException {
        JsonNode check = container(template).path("HealthCheck");
        List<String> command = new ArrayList<>();
        check.path("Command").forEach(word -> command.add(word.asText()));
        assertThat(command).containsExactly(Stream.concat(Stream.of("CMD"), ContainerHealthCheckTest.dockerfileHealthCheck().stream()).toArray(String[]::new));
        assertThat(command.get(command.size() - 1)).contains(healthPath() + "/live");
        String dockerfile = ContainerHealthCheckTest.dockerfileInstructions().stream().filter(line -> line.startsWith("HEALTHCHECK ")).findFirst().orElseThrow();
        assertThat(dockerfile).contains("--interval=" + check.path("Interval").asInt() + "s", "--timeout=" + check.path("Timeout").asInt() + "s",
                "--start-period=" + check.path("StartPeriod").asInt() + "s", "--retries=" + check.path("Retries").asInt());
        // The image's start: the JVM, then up to DB_STARTUP_WAIT_MS for the database.
        assertThat(check.path("StartPeriod").asInt() * 1000).isGreaterThan(Integer.parseInt(appDefault("db.startup-wait-ms")));
    }

    /**
     * On ECS the target group deregisters a task first and ECS sends SIGTERM only after the
     * deregistration delay; the app then drains briefly, lets work in flight finish and exits,
     * all before stopTimeout ends in SIGKILL (deploy/README.md, "Stopping").
     */
    @Test
    void theStopSequenceFitsEcs() {
        JsonNode container = template.resolve(container(template));
        Map<String, String> environment = named(container.path("Environment"), "Value");
        int drain = Integer.parseInt(environment.get("SHUTDOWN_DRAIN_S"));
        int shutdown = Integer.parseInt(environment.get("SHUTDOWN_TIMEOUT_S"));
        int stopTimeout = container.path("StopTimeout").asInt();

        assertThat(stopTimeout).as("stopTimeout").isGreaterThanOrEqualTo(drain + shutdown + 10).isLessThanOrEqualTo(120);
        assertThat(drain).as("the drain on ECS, where the balancer no longer sends").isPositive()
                .isLessThan(Integer.parseInt(appDefault("shutdown.drain-s")));
        assertThat(template.root.at("/Parameters/StopTimeoutSeconds/MaxValue").asInt()).as("Fargate's limit").isEqualTo(120);

        JsonNode targetGroup = template.resolve(template.resource("TargetGroup").path("Properties"));
        int delay = Integer.parseInt(named(targetGroup.path("TargetGroupAttributes"), "Value", "Key").get("deregistration_delay.timeout_seconds"));
        assertThat(delay).as("deregistration delay: requests in flight finish, without the ALB's 300 s").isBetween(10, 120);

        JsonNode service = template.resolve(template.resource("Service").path("Properties"));
        // A new task answers 503 until it serves; ECS must not count that against it.
        assertThat(service.path("HealthCheckGracePeriodSeconds").asInt() * 1000).isGreaterThan(Integer.parseInt(appDefault("db.startup-wait-ms")));
    }

    @Test
    void theServiceRunsOnFargateInPrivateSubnetsRollsBackAndScalesOnCpu() {
        JsonNode service = template.resolve(template.resource("Service").path("Properties"));
        assertThat(service.path("LaunchType").asText()).isEqualTo("FARGATE");
        assertThat(service.at("/DeploymentConfiguration/DeploymentCircuitBreaker")).isEqualTo(json("{\"Enable\": true, \"Rollback\": true}"));
        assertThat(service.at("/DeploymentConfiguration/MinimumHealthyPercent").asInt()).as("a new task serves before an old one stops").isEqualTo(100);
        assertThat(service.at("/NetworkConfiguration/AwsvpcConfiguration/AssignPublicIp").asText()).isEqualTo("DISABLED");
        assertThat(service.at("/NetworkConfiguration/AwsvpcConfiguration/Subnets")).isEqualTo(GIVEN.get("PrivateSubnetIds"));
        assertThat(service.path("DesiredCount").asText()).isEqualTo(template.parameterDefault("DesiredCount"));
        assertThat(service.path("EnableExecuteCommand").asBoolean()).isTrue();

        JsonNode target = template.resolve(template.resource(template.logicalIdOfType("AWS::ApplicationAutoScaling::ScalableTarget")).path("Properties"));
        assertThat(target.path("ResourceId").asText()).isEqualTo("service/ref:Cluster/getatt:Service.Name");
        assertThat(target.path("ScalableDimension").asText()).isEqualTo("ecs:service:DesiredCount");
        assertThat(target.path("MinCapacity").asText()).isEqualTo(template.parameterDefault("MinCount"));
        assertThat(target.path("MaxCapacity").asText()).isEqualTo(template.parameterDefault("MaxCount"));
        JsonNode policy = template.resolve(template.resource(template.logicalIdOfType("AWS::ApplicationAutoScaling::ScalingPolicy")).path("Properties"));
        assertThat(policy.path("PolicyType").asText()).isEqualTo("TargetTrackingScaling");
        assertThat(policy.at("/TargetTrackingScalingPolicyConfiguration/PredefinedMetricSpecification/PredefinedMetricType").asText())
                .isEqualTo("ECSServiceAverageCPUUtilization");
    }

    /** deploy/README.md, "Replicas and the database's connections": the most tasks a deployment runs, each with its pool, fit. */
    @Test
    void theDatabaseTakesTheConnectionsOfEveryTaskADeploymentRuns() {
        int tasks = Integer.parseInt(template.parameterDefault("MaxCount"))
                * template.resource("Service").at("/Properties/DeploymentConfiguration/MaximumPercent").asInt() / 100;
        int connections = tasks * Integer.parseInt(template.parameterDefault("DbPoolSize")) + 10;
        assertThat(connections).as("connections at most").isLessThanOrEqualTo(Integer.parseInt(template.parameterDefault("DbConnectionsAlarm")));
        assertThat(template.parameterDefault("DbInstanceClass")).as("max_connections about 150, above the alarm").isEqualTo("db.t4g.small");
    }

    @Test
    void onlyTheLoadBalancerReachesTheTasksAndOnlyTheTasksReachTheDatabase() {
        Map<String, List<String>> ingress = new TreeMap<>();
        for (String group : List.of("LoadBalancerSecurityGroup", "AppSecurityGroup", "DatabaseSecurityGroup")) {
            List<String> rules = new ArrayList<>();
            template.resource(group).at("/Properties/SecurityGroupIngress").forEach(rule -> {
                assertThat(rule.path("FromPort")).isEqualTo(rule.path("ToPort"));
                String source = rule.has("CidrIp") ? rule.path("CidrIp").path("Ref").asText() : rule.at("/SourceSecurityGroupId/Fn::GetAtt/0").asText();
                String port = rule.path("FromPort").isObject() ? rule.at("/FromPort/Ref").asText() : rule.path("FromPort").asText();
                rules.add(port + " from " + source);
            });
            ingress.put(group, rules);
        }
        assertThat(ingress.get("LoadBalancerSecurityGroup")).containsExactlyInAnyOrder("443 from LoadBalancerIngressCidr", "80 from LoadBalancerIngressCidr");
        assertThat(ingress.get("AppSecurityGroup")).containsExactlyInAnyOrder("AppPort from LoadBalancerSecurityGroup",
                "ManagementPort from LoadBalancerSecurityGroup");
        assertThat(ingress.get("DatabaseSecurityGroup")).containsExactly("DbPort from AppSecurityGroup");

        Template scraped = new Template(template.root, Map.of("MonitoringSecurityGroupId", TextNode.valueOf("sg-prometheus")));
        JsonNode monitoring = scraped.resource(template.logicalIdOfType("AWS::EC2::SecurityGroupIngress"));
        assertOnlyWhenGiven(monitoring, "MonitoringSecurityGroupId");
        assertThat(template.resourcesOfType("AWS::EC2::SecurityGroupIngress")).as("without Prometheus").isEmpty();
        JsonNode scrape = monitoring.path("Properties");
        assertThat(scrape.path("FromPort")).isEqualTo(json("{\"Ref\": \"ManagementPort\"}"));
        assertThat(scrape.path("ToPort")).isEqualTo(json("{\"Ref\": \"ManagementPort\"}"));
        assertThat(scrape.at("/GroupId/Fn::GetAtt/0").asText()).isEqualTo("AppSecurityGroup");
        assertThat(template.resource("Database").at("/Properties/PubliclyAccessible").asBoolean(true)).isFalse();
    }

    @Test
    void outputsNameWhatATeamAndItsOpsNeed() {
        Outputs outputs = new Outputs(template);
        assertThat(outputs.value("TopicArn")).isEqualTo(TOPIC + appDefault("aws.stock-topic"));
        assertThat(outputs.value("QueueUrl")).isEqualTo(queueUrl(appDefault("aws.stock-queue")));
        assertThat(outputs.value("DeadLetterQueueUrl")).isEqualTo(queueUrl(appDefault("aws.stock-dlq")));
        assertThat(outputs.value("LoadBalancerDnsName")).isEqualTo("getatt:LoadBalancer.DNSName");
        assertThat(outputs.value("ClusterName")).isEqualTo("ref:Cluster");
        assertThat(outputs.value("ServiceName")).isEqualTo("getatt:Service.Name");
        assertThat(outputs.value("LogGroupName")).isEqualTo("ref:AppLogGroup");
        assertThat(outputs.value("AppPolicyArn")).isEqualTo("ref:" + template.logicalIdOfType("AWS::IAM::ManagedPolicy"));
        assertThat(outputs.value("AlarmTopicArn")).isEqualTo(TOPIC + STACK + "-alarms");
        assertThat(template.resolve(template.resource("AppLogGroup").at("/Properties/LogGroupName")).asText()).isEqualTo("/ecs/" + STACK);
    }

    @Test
    void alarmsGoToTheOpsTopicWhichMailsOps() {
        String alarmTopic = TOPIC + STACK + "-alarms";
        List<JsonNode> alarms = template.resourcesOfType("AWS::CloudWatch::Alarm");
        assertThat(alarms).hasSize(10).allSatisfy(alarm -> {
            JsonNode properties = template.resolve(alarm.path("Properties"));
            assertThat(properties.path("AlarmActions")).containsExactly(TextNode.valueOf(alarmTopic));
            assertThat(properties.path("OKActions")).containsExactly(TextNode.valueOf(alarmTopic));
            // No data is what an idle queue or load balancer reports, not a fault.
            assertThat(properties.path("TreatMissingData").asText()).isEqualTo("notBreaching");
        });
        JsonNode email = template.resourcesOfType("AWS::SNS::Subscription").stream()
                .filter(subscription -> subscription.at("/Properties/Protocol").asText().equals("email"))
                .findFirst().orElseGet(() -> fail("no email subscription"));
        assertThat(template.resolve(email.at("/Properties/TopicArn")).asText()).isEqualTo(alarmTopic);
        assertThat(email.at("/Properties/Endpoint")).isEqualTo(json("{\"Ref\": \"OpsEmail\"}"));
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

    /**
     * The alert route deletes a dead letter once ops were mailed; with SMTP down it keeps it in
     * flight and tries again every ALERT_RETRY_S. Waiting or in flight, several tries long, pages.
     */
    @Test
    void deadLettersThatStayOnTheDeadLetterQueueWaitingOrInFlightRaiseAnAlarm() {
        JsonNode alarm = template.resolve(template.resource("DeadLettersUnmailedAlarm").path("Properties"));
        Map<String, String> measured = mathMetrics(alarm, "AWS/SQS", "[{\"Name\":\"QueueName\",\"Value\":\"" + appDefault("aws.stock-dlq") + "\"}]");
        assertThat(measured.values()).containsExactlyInAnyOrder("ApproximateNumberOfMessagesVisible", "ApproximateNumberOfMessagesNotVisible");
        assertThat(returned(alarm).path("Expression").asText()).contains("+");
        assertThat(alarm.path("Threshold").asInt()).isEqualTo(1);
        assertThat(alarm.path("ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
        int seconds = alarm.path("EvaluationPeriods").asInt() * 60;
        assertThat(alarm.path("DatapointsToAlarm").asInt()).isEqualTo(alarm.path("EvaluationPeriods").asInt());
        assertThat(seconds).as("seconds a dead letter stays before the page")
                .isGreaterThan(2 * Integer.parseInt(appDefault("alert.retry-s"))).isLessThanOrEqualTo(900);
    }

    /**
     * A factory outage with a backlog keeps messages waiting, but each consumer still takes the
     * next one once it gives up on its own (inside FACTORY_LEASE_S): only waiting messages that
     * nobody receives for longer than that page.
     */
    @Test
    void aQueueNobodyReceivesFromRaisesAnAlarmButAFactoryOutageDoesNot() {
        JsonNode alarm = template.resolve(template.resource("QueueStalledAlarm").path("Properties"));
        Map<String, String> measured = mathMetrics(alarm, "AWS/SQS", "[{\"Name\":\"QueueName\",\"Value\":\"" + appDefault("aws.stock-queue") + "\"}]");
        assertThat(measured.values()).containsExactlyInAnyOrder("ApproximateNumberOfMessagesVisible", "NumberOfMessagesReceived");
        String expression = returned(alarm).path("Expression").asText();
        assertThat(expression).contains(" AND ").contains("== 0");
        assertThat(template.resourcesOfType("AWS::CloudWatch::Alarm")).as("no alarm on the age of the oldest message")
                .noneMatch(candidate -> candidate.toString().contains("ApproximateAgeOfOldestMessage"));
        int seconds = alarm.path("EvaluationPeriods").asInt() * 60;
        assertThat(alarm.path("DatapointsToAlarm").asInt()).isEqualTo(alarm.path("EvaluationPeriods").asInt());
        int longestHold = Integer.parseInt(appDefault("factory.lease-s")) + Integer.parseInt(appDefault("aws.visibility-timeout-s"))
                + Integer.parseInt(appDefault("aws.poll-wait-s"));
        assertThat(seconds).isGreaterThan(longestHold).isLessThanOrEqualTo(1800);
    }

    @Test
    void unhealthyTargetsAndMissingTasksRaiseAlarms() {
        JsonNode unhealthy = template.resolve(template.resource("UnhealthyTargetsAlarm").path("Properties"));
        assertThat(unhealthy.path("Namespace").asText()).isEqualTo("AWS/ApplicationELB");
        assertThat(unhealthy.path("MetricName").asText()).isEqualTo("UnHealthyHostCount");
        assertThat(unhealthy.path("Dimensions").toString()).contains("getatt:TargetGroup.TargetGroupFullName", "getatt:LoadBalancer.LoadBalancerFullName");

        JsonNode missing = template.resolve(template.resource("TasksBelowDesiredAlarm").path("Properties"));
        Map<String, String> measured = mathMetrics(missing, "ECS/ContainerInsights",
                "[{\"Name\":\"ClusterName\",\"Value\":\"ref:Cluster\"},{\"Name\":\"ServiceName\",\"Value\":\"getatt:Service.Name\"}]");
        assertThat(measured.values()).containsExactlyInAnyOrder("RunningTaskCount", "DesiredTaskCount");
        assertThat(returned(missing).path("Expression").asText()).contains("-");
        assertThat(template.resource("Cluster").at("/Properties/ClusterSettings"))
                .as("Container Insights, which reports those counts").contains(json("{\"Name\": \"containerInsights\", \"Value\": \"enabled\"}"));
    }

    @Test
    void fiveHundredsOnTheLoadBalancerRaiseAnAlarm() {
        JsonNode alarm = template.resolve(template.resource("LoadBalancer5xxAlarm").path("Properties"));
        Map<String, String> measured = mathMetrics(alarm, "AWS/ApplicationELB",
                "[{\"Name\":\"LoadBalancer\",\"Value\":\"getatt:LoadBalancer.LoadBalancerFullName\"}]");
        assertThat(measured.values()).containsExactlyInAnyOrder("HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count", "RequestCount");
        assertThat(returned(alarm).path("Expression").asText()).as("a share of the answers, not a count").contains("100 *").contains("/");
        assertThat(template.resource("LoadBalancer5xxAlarm").at("/Properties/Threshold")).isEqualTo(json("{\"Ref\": \"LoadBalancer5xxPercent\"}"));
    }

    @Test
    void theDatabaseTheStackMakesRaisesAlarmsOnCpuConnectionsAndStorage() {
        Map<String, String> watched = new TreeMap<>();
        template.resourcesOfType("AWS::CloudWatch::Alarm").stream()
                .filter(alarm -> alarm.at("/Properties/Namespace").asText().equals("AWS/RDS"))
                .forEach(alarm -> {
                    assertThat(alarm.path("Condition").asText()).isEqualTo("CreateDatabase");
                    JsonNode properties = template.resolve(alarm.path("Properties"));
                    assertThat(properties.path("Dimensions")).isEqualTo(json("[{\"Name\":\"DBInstanceIdentifier\",\"Value\":\"ref:Database\"}]"));
                    watched.put(properties.path("MetricName").asText(), properties.path("ComparisonOperator").asText());
                });
        assertThat(watched).isEqualTo(Map.of("CPUUtilization", "GreaterThanThreshold",
                "DatabaseConnections", "GreaterThanOrEqualToThreshold", "FreeStorageSpace", "LessThanThreshold"));
    }

    @Test
    void deliveriesTheTopicCouldNotMakeRaiseAnAlarm() {
        JsonNode alarm = template.resolve(template.resource("StockDeliveryFailedAlarm").path("Properties"));
        assertThat(alarm.path("Namespace").asText()).isEqualTo("AWS/SNS");
        assertThat(alarm.path("MetricName").asText()).isEqualTo("NumberOfNotificationsFailed");
        assertThat(alarm.path("Dimensions")).isEqualTo(json("[{\"Name\":\"TopicName\",\"Value\":\"" + appDefault("aws.stock-topic") + "\"}]"));
    }

    /**
     * Each log metric filter matches a line the app writes (LOG_FORMAT=json: loggerName is the
     * route's id for its own lines), found in src/main; the publish-retries alarm reads its metric.
     */
    @Test
    void everyLogMetricFilterMatchesALineTheAppWrites() throws IOException {
        Map<String, String> sources = new TreeMap<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("src/main/java"))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                sources.put(file.toString(), Files.readString(file));
            }
        }
        Map<String, String> metrics = new TreeMap<>();
        for (JsonNode filter : template.resourcesOfType("AWS::Logs::MetricFilter")) {
            JsonNode properties = template.resolve(filter.path("Properties"));
            assertThat(properties.path("LogGroupName").asText()).isEqualTo("ref:AppLogGroup");
            String pattern = properties.path("FilterPattern").asText();
            Matcher level = Pattern.compile("\\$\\.level = \"([A-Z]+)\"").matcher(pattern);
            assertThat(level.find()).as("a level in %s", pattern).isTrue();
            if (!pattern.contains("loggerName")) {
                assertThat(pattern).as("a filter on the level alone").isEqualTo("{ $.level = \"ERROR\" }");
            }
            // Each alternative names a logger and what it writes: a route's words, or the dependency
            // operations.Outages puts in the MDC.
            for (String alternative : pattern.split("\\|\\|")) {
                Matcher logger = Pattern.compile("\\$\\.loggerName = \"([^\"]+)\"").matcher(alternative);
                if (!logger.find()) {
                    continue;
                }
                String route = logger.group(1);
                Matcher message = Pattern.compile("\\$\\.formattedMessage = \"\\*?([^\"*]+)\\*?\"").matcher(alternative);
                Matcher dependency = Pattern.compile("\\$\\.mdc\\.dependency = \"([a-z]+)\"").matcher(alternative);
                if (message.find()) {
                    String words = message.group(1);
                    assertThat(sources.values()).as("a route or logger %s that logs \"%s\" at %s", route, words, level.group(1))
                            .anyMatch(source -> (source.contains(".routeId(\"" + route + "\")") || source.contains("\"" + route + "\""))
                                    && source.contains("LoggingLevel." + level.group(1)) && source.contains(words));
                } else {
                    assertThat(dependency.find()).as("words or a dependency in %s", alternative).isTrue();
                    assertThat(ROOT.resolve("src/main/java/" + route.replace('.', '/') + ".java")).as("the logger %s", route)
                            .content().contains("MDC.putCloseable(DEPENDENCY").contains("LOG." + level.group(1).toLowerCase());
                    String name = dependency.group(1);
                    assertThat(sources.values()).as("a dependency %s the app checks", name)
                            .anyMatch(source -> source.contains("new Dependencies.Probe(\"" + name + "\""));
                }
            }
            JsonNode metric = properties.path("MetricTransformations").get(0);
            assertThat(metric.path("MetricNamespace").asText()).isEqualTo("DonutStates/" + STACK);
            metrics.put(metric.path("MetricName").asText(), pattern);
        }
        assertThat(metrics.keySet()).containsExactlyInAnyOrder("RestockPublishRetries", "DatabaseUnavailableAnswers", "ErrorLogLines");
        JsonNode alarm = template.resolve(template.resource("PublishRetriesAlarm").path("Properties"));
        assertThat(alarm.path("Namespace").asText()).isEqualTo("DonutStates/" + STACK);
        assertThat(alarm.path("MetricName").asText()).isEqualTo("RestockPublishRetries");
        assertThat(metrics.get("RestockPublishRetries")).contains("\"outbox\"");
        // The outbox tries again at most OUTBOX_MAX_BACKOFF_S apart, and an outage is told again every
        // OUTAGE_REMINDER_S: every minute has a line while SNS refuses or does not answer.
        assertThat(Integer.parseInt(appDefault("outbox.max-backoff-s"))).isLessThan(alarm.path("Period").asInt());
        assertThat(Integer.parseInt(appDefault("outage.reminder-s"))).isLessThan(alarm.path("Period").asInt());
    }

    @Test
    void dockerfileRunsTheJarThePomBuildsOnTheAppsPortAsAnUnprivilegedUser() throws Exception {
        String finalName = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve("pom.xml").toFile())
                .getElementsByTagName("finalName").item(0).getTextContent().trim();
        List<String> lines = ContainerHealthCheckTest.dockerfileInstructions();

        String copied = lines.stream().filter(line -> line.startsWith("COPY "))
                .map(line -> line.split("\\s+"))
                .filter(words -> words[words.length - 2].endsWith("target/" + finalName + ".jar"))
                .map(words -> words[words.length - 1])
                .findFirst().orElseGet(() -> fail("no COPY of target/" + finalName + ".jar in deploy/Dockerfile"));
        assertThat(lines).filteredOn(line -> line.startsWith("ENTRYPOINT ")).singleElement().asString()
                .contains("\"-jar\", \"" + copied + "\"");
        assertThat(lines).contains("EXPOSE " + appDefault("app.port") + " " + imageManagementPort());
        assertThat(lines).contains("ENV PORT=" + appDefault("app.port") + " MANAGEMENT_PORT=" + imageManagementPort());
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
        List<String> lines = ContainerHealthCheckTest.dockerfileInstructions();
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

    /** The app's health path (Camel Main's default unless application.properties moves it). */
    private static String healthPath() {
        String path = AppSettings.written("camel.management.health-path");
        return path == null ? "/observe/health" : path;
    }

    /** The MANAGEMENT_PORT the image sets. */
    private static String imageManagementPort() {
        try {
            return ContainerHealthCheckTest.dockerfileInstructions().stream().filter(line -> line.startsWith("ENV "))
                    .flatMap(line -> java.util.Arrays.stream(line.substring(4).trim().split("\\s+")))
                    .filter(setting -> setting.startsWith("MANAGEMENT_PORT="))
                    .map(setting -> setting.substring("MANAGEMENT_PORT=".length()))
                    .findFirst().orElseGet(() -> fail("deploy/Dockerfile sets no MANAGEMENT_PORT"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The task definition's one container, unresolved. */
    static JsonNode container(Template scenario) {
        JsonNode containers = scenario.root.at("/Resources/TaskDefinition/Properties/ContainerDefinitions");
        assertThat(containers).as("containers of the task").hasSize(1);
        assertThat(containers.get(0).path("Name").asText()).isEqualTo(CONTAINER);
        return containers.get(0);
    }

    private static JsonNode taskDefinition() {
        return template.resource(template.logicalIdOfType("AWS::ECS::TaskDefinition")).path("Properties");
    }

    private static void assertTrustsEcsTasksOnly(JsonNode role) {
        assertThat(role.at("/AssumeRolePolicyDocument/Statement")).singleElement().satisfies(statement -> {
            assertThat(statement.at("/Principal/Service").asText()).isEqualTo("ecs-tasks.amazonaws.com");
            assertThat(statement.path("Action").asText()).isEqualTo("sts:AssumeRole");
        });
    }

    /** Metric id to metric name of an alarm on metric math, after checking each metric's namespace and dimensions. */
    private static Map<String, String> mathMetrics(JsonNode alarm, String namespace, String dimensions) {
        Map<String, String> measured = new TreeMap<>();
        for (JsonNode metric : alarm.path("Metrics")) {
            JsonNode stat = metric.path("MetricStat");
            if (stat.isObject()) {
                assertThat(stat.at("/Metric/Namespace").asText()).isEqualTo(namespace);
                assertThat(stat.at("/Metric/Dimensions")).isEqualTo(json(dimensions));
                assertThat(stat.path("Period").asInt()).isEqualTo(60);
                measured.put(metric.path("Id").asText(), stat.at("/Metric/MetricName").asText());
            }
        }
        return measured;
    }

    /** The one series an alarm on metric math alarms on. */
    private static JsonNode returned(JsonNode alarm) {
        List<JsonNode> returned = new ArrayList<>();
        alarm.path("Metrics").forEach(metric -> {
            if (metric.path("ReturnData").asBoolean(true)) {
                returned.add(metric);
            }
        });
        assertThat(returned).as("CloudWatch alarms on exactly one series").hasSize(1);
        return returned.get(0);
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
                assertThat(action).as("an action named, not a pattern").doesNotContain("*");
                grants.computeIfAbsent(action, a -> new TreeSet<>()).addAll(texts(statement.path("Resource")));
            }
        }
        return grants;
    }

    /** "Name" to the given field, for ECS environment and secrets lists and attribute lists. */
    private static Map<String, String> named(JsonNode list, String field) {
        return named(list, field, "Name");
    }

    private static Map<String, String> named(JsonNode list, String field, String key) {
        Map<String, String> named = new TreeMap<>();
        list.forEach(entry -> {
            JsonNode value = entry.path(field);
            assertThat(named.put(entry.path(key).asText(), value.isValueNode() ? value.asText() : value.toString()))
                    .as("%s set twice", entry.path(key).asText()).isNull();
        });
        return named;
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

    /** The resource's condition holds exactly when the parameter is not empty. */
    private static void assertOnlyWhenGiven(JsonNode resource, String parameter) {
        String condition = resource.path("Condition").asText();
        assertThat(condition).as("a condition on the resource").isNotEmpty();
        assertThat(template.root.path("Conditions").path(condition))
                .isEqualTo(json("{\"Fn::Not\": [{\"Fn::Equals\": [{\"Ref\": \"%s\"}, \"\"]}]}".formatted(parameter)));
    }

    /** The default of a {{env:VAR:default}} setting, read as data rather than through Camel. */
    private static String appDefault(String property) {
        return AppSettings.defaultOf(property);
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

    private static ArrayNode list(String... items) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        for (String item : items) {
            list.add(item);
        }
        return list;
    }

    private static String read(String path) throws IOException {
        return Files.readString(ROOT.resolve(path));
    }

    /** Resolved outputs whose condition holds. */
    private record Outputs(Template scenario) {
        String value(String name) {
            JsonNode output = scenario.root.path("Outputs").path(name);
            assertThat(output.isObject()).as("output %s", name).isTrue();
            if (output.has("Condition")) {
                assertThat(scenario.holds(output.path("Condition").asText())).as("condition of output %s", name).isTrue();
            }
            return scenario.resolve(output.path("Value")).asText();
        }
    }

    /**
     * Evaluates the intrinsics this template uses, with the parameters at their defaults (or as
     * given), the account and region as the placeholders deploy/iam-policy.json carries, topics
     * and queues as their real ARN and URL shapes, and any other resource's Ref and attributes as
     * "ref:Id" and "getatt:Id.Attribute". Resources whose condition fails are absent. Anything
     * else fails, so the test never passes on a value it did not understand.
     */
    static final class Template {

        private static final Pattern SUB = Pattern.compile("\\$\\{([^}!]+)}");
        private static final Map<String, String> PSEUDO = Map.of(
                "AWS::Region", "REGION", "AWS::AccountId", "ACCOUNT_ID", "AWS::Partition", "aws", "AWS::StackName", STACK);

        final JsonNode root;
        private final Map<String, JsonNode> given;

        Template(JsonNode root, Map<String, JsonNode> overrides) {
            this.root = root;
            this.given = new HashMap<>(GIVEN);
            this.given.putAll(overrides);
        }

        String parameterDefault(String name) {
            JsonNode parameter = root.path("Parameters").path(name);
            assertThat(parameter.has("Default")).as("parameter %s with a default", name).isTrue();
            return parameter.path("Default").asText();
        }

        private JsonNode parameter(String name) {
            if (given.containsKey(name)) {
                return given.get(name);
            }
            return TextNode.valueOf(parameterDefault(name));
        }

        boolean holds(String condition) {
            JsonNode definition = root.path("Conditions").path(condition);
            assertThat(definition.isObject()).as("condition %s", condition).isTrue();
            return evaluate(definition);
        }

        private boolean evaluate(JsonNode condition) {
            String key = condition.fieldNames().next();
            JsonNode argument = condition.get(key);
            return switch (key) {
                case "Fn::Equals" -> resolve(argument.get(0)).equals(resolve(argument.get(1)));
                case "Fn::Not" -> !evaluate(argument.get(0));
                case "Fn::And" -> {
                    boolean all = true;
                    for (JsonNode part : argument) {
                        all &= evaluate(part);
                    }
                    yield all;
                }
                case "Fn::Or" -> {
                    boolean any = false;
                    for (JsonNode part : argument) {
                        any |= evaluate(part);
                    }
                    yield any;
                }
                case "Condition" -> holds(argument.asText());
                default -> fail("the test does not evaluate the condition " + key);
            };
        }

        List<JsonNode> resourcesOfType(String type) {
            List<JsonNode> found = new ArrayList<>();
            root.path("Resources").forEach(resource -> {
                if (resource.path("Type").asText().equals(type) && (!resource.has("Condition") || holds(resource.path("Condition").asText()))) {
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
            assertThat(ids).as("resources of type %s", type).hasSize(1);
            return ids.get(0);
        }

        JsonNode resolve(JsonNode node) {
            JsonNode resolved = resolveOrAbsent(node);
            return resolved == null ? JsonNodeFactory.instance.missingNode() : resolved;
        }

        /** The value, or null for AWS::NoValue, which removes the property or item it stands in. */
        private JsonNode resolveOrAbsent(JsonNode node) {
            if (node.isObject() && node.size() == 1) {
                String key = node.fieldNames().next();
                JsonNode argument = node.get(key);
                switch (key) {
                    case "Ref":
                        return argument.asText().equals("AWS::NoValue") ? null : ref(argument.asText());
                    case "Fn::GetAtt":
                        return TextNode.valueOf(getAtt(argument.get(0).asText(), argument.get(1).asText()));
                    case "Fn::Sub":
                        return TextNode.valueOf(argument.isArray() ? sub(argument.get(0).asText(), argument.get(1)) : sub(argument.asText(), null));
                    case "Fn::If":
                        return resolveOrAbsent(holds(argument.get(0).asText()) ? argument.get(1) : argument.get(2));
                    default:
                        if (key.startsWith("Fn::")) {
                            fail("the test does not evaluate " + key);
                        }
                }
            }
            if (node.isObject()) {
                ObjectNode resolved = JsonNodeFactory.instance.objectNode();
                node.fields().forEachRemaining(entry -> {
                    JsonNode value = resolveOrAbsent(entry.getValue());
                    if (value != null) {
                        resolved.set(entry.getKey(), value);
                    }
                });
                return resolved;
            }
            if (node.isArray()) {
                ArrayNode resolved = JsonNodeFactory.instance.arrayNode();
                node.forEach(element -> {
                    JsonNode value = resolveOrAbsent(element);
                    if (value != null) {
                        resolved.add(value);
                    }
                });
                return resolved;
            }
            return node;
        }

        private JsonNode ref(String name) {
            if (PSEUDO.containsKey(name)) {
                return TextNode.valueOf(PSEUDO.get(name));
            }
            if (root.path("Parameters").has(name)) {
                return parameter(name);
            }
            JsonNode resource = resource(name);
            return TextNode.valueOf(switch (resource.path("Type").asText()) {
                case "AWS::SNS::Topic" -> TOPIC + resolve(resource.at("/Properties/TopicName")).asText();
                case "AWS::SQS::Queue" -> queueUrl(resolve(resource.at("/Properties/QueueName")).asText());
                default -> "ref:" + name;
            });
        }

        private String getAtt(String name, String attribute) {
            JsonNode resource = resource(name);
            if (resource.path("Type").asText().equals("AWS::SQS::Queue") && attribute.equals("Arn")) {
                return QUEUE + resolve(resource.at("/Properties/QueueName")).asText();
            }
            return "getatt:" + name + "." + attribute;
        }

        private String sub(String text, JsonNode variables) {
            Matcher variable = SUB.matcher(text);
            StringBuilder resolved = new StringBuilder();
            while (variable.find()) {
                String name = variable.group(1);
                String value;
                if (variables != null && variables.has(name)) {
                    value = resolve(variables.get(name)).asText();
                } else {
                    String[] parts = name.split("\\.", 2);
                    value = parts.length == 2 && !PSEUDO.containsKey(name) ? getAtt(parts[0], parts[1]) : ref(name).asText();
                }
                variable.appendReplacement(resolved, Matcher.quoteReplacement(value));
            }
            return variable.appendTail(resolved).toString();
        }

        JsonNode resource(String name) {
            JsonNode resource = root.path("Resources").path(name);
            assertThat(resource.isObject()).as("resource %s in the template", name).isTrue();
            if (resource.has("Condition")) {
                assertThat(holds(resource.path("Condition").asText())).as("the condition of %s holds", name).isTrue();
            }
            return resource;
        }
    }
}
