package routes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.apache.camel.spi.RestRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document is the HTTP contract the app serves (contract first, ApiContractRoute):
 * it is valid OpenAPI 3 in YAML and JSON, every operation in it is answered by its route with a
 * status it lists, nothing else is served but the simulator's two (not ours to document), real
 * answers match its schemas, and the limits it shows are the ones requests are checked against.
 */
class ApiContractRouteTest extends RouteTestSupport {

    /** REST services deliberately left out of the document, and why. */
    private static final Map<String, String> UNDOCUMENTED = Map.of(
            "POST /simulator/api/manufactures", "the legacy factory's API, simulated for local runs; not ours to document",
            "GET /simulator/api/manufactures", "a test aid of the simulator");

    private static final String DOCUMENT_IRI = "https://donut-states.test/openapi.json";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Override
    protected Map<String, String> extraProperties() {
        // Every HTTP route the app can have, the simulator's included; an order limit of its own.
        return Map.of("simulator.enabled", "on", "sales.max-quantity", "7");
    }

    @Test
    void theDocumentIsServedAsOpenApi3InYamlAndJson() throws IOException {
        HttpResponse<String> yaml = fetch("/api/openapi.yaml");
        HttpResponse<String> json = fetch("/api/openapi.json");

        assertThat(yaml.statusCode()).isEqualTo(200);
        assertThat(yaml.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/yaml"));
        assertThat(yaml.body()).as("YAML as people write it").startsWith("openapi: 3.0.3\n");
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(JSON.readTree(json.body()).equals(JSON.readTree(JSON.writeValueAsString(new YAMLMapper().readTree(yaml.body())))))
                .as("the JSON is the YAML").isTrue();

        SwaggerParseResult parsed = parse(yaml.body());
        assertThat(parsed.getMessages()).as("parser messages").isEmpty();
        OpenAPI api = parsed.getOpenAPI();
        assertThat(api.getOpenapi()).startsWith("3.");
        assertThat(api.getComponents().getSecuritySchemes().get("adminToken").getScheme()).isEqualTo("bearer");
        assertThat(api.getComponents().getSchemas().get("Error").getRequired()).containsExactlyInAnyOrder("error", "message");
        assertThat(api.getPaths()).containsKeys("/api/products", "/api/products/{sku}", "/api/orders", "/checkout",
                "/api/restock", "/api/restock-requests", "/api/restock-requests/{id}/retry");
    }

    /**
     * Each documented operation, called with its examples and no body, reaches a route (not the
     * catch-all) and answers a status the document lists for it; admin operations answer 401
     * without the token and get past it with the token.
     */
    @Test
    void everyDocumentedOperationIsAnsweredByARoute() throws IOException {
        OpenAPI api = parse(fetch("/api/openapi.yaml").body()).getOpenAPI();
        List<String> checked = new ArrayList<>();

        api.getPaths().forEach((template, item) -> item.readOperationsMap().forEach((method, operation) -> {
            String path = example(template, item, operation);
            String name = method + " " + template;
            boolean admin = operation.getSecurity() != null && !operation.getSecurity().isEmpty();

            HttpResponse<String> anonymous = call(method.name(), path, null);
            assertReachedARoute(name, anonymous);
            assertThat(operation.getResponses()).as("statuses of " + name).containsKey(String.valueOf(anonymous.statusCode()));
            if (admin) {
                assertThat(anonymous.statusCode()).as(name + " without the token").isEqualTo(401);
                assertThat(errorOf(anonymous)).isEqualTo("UNAUTHORIZED");
                HttpResponse<String> authorised = call(method.name(), path, ADMIN);
                assertReachedARoute(name + " as admin", authorised);
                assertThat(authorised.statusCode()).as(name + " as admin").isNotEqualTo(401);
                assertThat(operation.getResponses()).as("statuses of " + name).containsKey(String.valueOf(authorised.statusCode()));
            } else {
                assertThat(errorOf(anonymous)).as(name + " needs no token").isNotEqualTo("UNAUTHORIZED");
            }
            checked.add(name);
        }));

        assertThat(checked).hasSizeGreaterThanOrEqualTo(10);
    }

    /** What is served is the document's operations, and the simulator's, named in UNDOCUMENTED with a reason. */
    @Test
    void onlyTheDocumentsOperationsAreServed() throws IOException {
        OpenAPI api = parse(fetch("/api/openapi.yaml").body()).getOpenAPI();
        Set<String> documented = new TreeSet<>();
        api.getPaths().forEach((template, item) -> item.readOperationsMap().keySet()
                .forEach(method -> documented.add(method + " " + anyParameter(template))));

        Set<String> served = new TreeSet<>();
        for (RestRegistry.RestService service : context.getRestRegistry().listAllRestServices()) {
            String path = service.getUriTemplate() == null ? service.getUrl().replaceFirst("^[a-z]+://[^/]*", "")
                    : service.getBasePath() + "/" + service.getUriTemplate();
            served.add(service.getMethod().toUpperCase(Locale.ROOT) + " " + anyParameter(normalise(path)));
        }

        Set<String> expected = new TreeSet<>(documented);
        expected.addAll(UNDOCUMENTED.keySet());
        assertThat(served).isEqualTo(expected);
    }

    /** MAX_ORDER_QUANTITY is written into the document served, and orders are held to that same limit. */
    @Test
    void theOrderLimitServedIsTheOneOrdersAreCheckedAgainst() throws IOException {
        JsonNode document = JSON.readTree(fetch("/api/openapi.json").body());
        assertThat(document.at("/components/schemas/OrderInput/properties/quantity/maximum").asInt()).isEqualTo(7);

        HttpResponse<String> tooMany = call("POST", "/api/orders", null, "{\"sku\":\"CP-502101\",\"quantity\":8}");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(tooMany.body()).path("message").asText()).isEqualTo("'quantity' must be a whole number from 1 to 7.");
        assertThat(call("POST", "/api/orders", null, "{\"sku\":\"CP-502101\",\"quantity\":7}").statusCode()).isEqualTo(201);
    }

    /**
     * A list's page names the next one in the headers its 200 answer documents, the cursor in the
     * form the document gives, and the page size is bounded as the document says.
     */
    @Test
    void pagesAreAnsweredAsTheDocumentSays() throws IOException {
        JsonNode document = JSON.readTree(fetch("/api/openapi.json").body());
        // Two products, each sold out with its restock request: both lists have a second page of one.
        stockOutRequest("PAGE-1");
        stockOutRequest("PAGE-2");

        for (String template : List.of("/api/products", "/api/restock-requests")) {
            JsonNode operation = document.path("paths").path(template).path("get");
            Set<String> parameters = new TreeSet<>();
            operation.path("parameters").forEach(parameter -> parameters.add(parameter.has("$ref")
                    ? document.at(parameter.path("$ref").asText().substring(1)).path("name").asText() : parameter.path("name").asText()));
            assertThat(parameters).as("parameters of GET " + template).contains("limit", "cursor");
            Set<String> headers = new TreeSet<>();
            operation.at("/responses/200/headers").fieldNames().forEachRemaining(headers::add);
            assertThat(headers).as("headers of GET " + template + " 200").containsExactlyInAnyOrder("Link", "X-Next-Cursor");

            HttpResponse<String> page = call("GET", template + "?limit=1", ADMIN);
            assertThat(page.statusCode()).isEqualTo(200);
            String cursor = page.headers().firstValue("X-Next-Cursor").orElseThrow(() -> new AssertionError("no next page of " + template));
            assertThat(cursor).matches(document.at("/components/schemas/Cursor/pattern").asText());
            assertThat(page.headers().firstValue("Link")).hasValue("<" + template + "?limit=1&cursor=" + cursor + ">; rel=\"next\"");
        }
        JsonNode limit = document.at("/components/schemas/PageLimit");
        assertThat(call("GET", "/api/products?limit=" + limit.path("maximum").asInt(), null).statusCode()).isEqualTo(200);
        HttpResponse<String> over = call("GET", "/api/products?limit=" + (limit.path("maximum").asInt() + 1), null);
        assertThat(over.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(over.body()).path("message").asText())
                .isEqualTo("'limit' must be a whole number from %d to %d.", limit.path("minimum").asInt(), limit.path("maximum").asInt());
    }

    /** Real answers of the restock story match the schema the document gives for their path, method and status. */
    @Test
    void realAnswersMatchTheDocumentedSchemas() throws IOException {
        Contract contract = new Contract(fetch("/api/openapi.json").body());
        String donut = "{\"name\":\"Schema donut\",\"price\":2.90,\"stock\":1,\"factoryId\":\"factory_01\",\"restockQuantity\":12}";

        contract.check("PUT", "/api/products/{sku}", 201, call("PUT", "/api/products/SCHEMA-1", ADMIN, donut));
        contract.check("PUT", "/api/products/{sku}", 200, call("PUT", "/api/products/SCHEMA-1", ADMIN, donut));
        contract.check("GET", "/api/products", 200, call("GET", "/api/products", null));
        contract.check("GET", "/api/products/{sku}", 200, call("GET", "/api/products/SCHEMA-1", null));
        contract.check("POST", "/api/orders", 201, call("POST", "/api/orders", null, "{\"sku\":\"SCHEMA-1\",\"quantity\":1}"));
        contract.check("POST", "/api/orders", 409, call("POST", "/api/orders", null, "{\"sku\":\"SCHEMA-1\",\"quantity\":1}"));
        contract.check("POST", "/api/orders", 404, call("POST", "/api/orders", null, "{\"sku\":\"NO-SUCH-1\",\"quantity\":1}"));
        contract.check("POST", "/api/orders", 400, call("POST", "/api/orders", null, "{\"sku\":\"SCHEMA-1\",\"quantity\":0}"));
        contract.check("POST", "/api/orders", 415, call("POST", "/api/orders", null, "sku=SCHEMA-1", "text/plain"));
        contract.check("GET", "/api/products/{sku}", 404, call("GET", "/api/products/NO-SUCH-1", null));
        contract.check("GET", "/api/restock-requests", 200, call("GET", "/api/restock-requests?status=requested", ADMIN));
        contract.check("GET", "/api/restock-requests", 400, call("GET", "/api/restock-requests?status=LOST", ADMIN));
        contract.check("GET", "/api/restock-requests", 401, call("GET", "/api/restock-requests", "Bearer wrong-token"));
        contract.check("GET", "/api/restock-requests", 200, call("GET", "/api/restock-requests?sku=SCHEMA-1&limit=1", ADMIN));
        contract.check("GET", "/api/restock-requests", 400, call("GET", "/api/restock-requests?limit=0", ADMIN));
        contract.check("GET", "/api/products", 200, call("GET", "/api/products?limit=1", null));
        contract.check("GET", "/api/products", 400, call("GET", "/api/products?cursor=%25", null));

        String requestId = db().queryForObject("SELECT id FROM restock_requests WHERE sku = 'SCHEMA-1'", String.class);
        contract.check("POST", "/api/restock-requests/{id}/retry", 409, call("POST", "/api/restock-requests/" + requestId + "/retry", ADMIN));
        String callback = "/api/restock?request=" + requestId + "&signature=" + signature(requestId);
        contract.check("POST", "/api/restock", 200, call("POST", callback, null, "{}"));
        HttpResponse<String> repeat = call("POST", callback, null, "{}");
        contract.check("POST", "/api/restock", 200, repeat);
        assertThat(JSON.readTree(repeat.body()).path("duplicate").asBoolean()).isTrue();
        contract.check("POST", "/api/restock", 401, call("POST", "/api/restock?request=" + requestId + "&signature=" + "0".repeat(64), null));
        contract.check("POST", "/checkout", 201, call("POST", "/checkout", null));

        db().update("UPDATE restock_requests SET status = 'FAILED' WHERE id = ?", requestId);
        contract.check("POST", "/api/restock-requests/{id}/retry", 202, call("POST", "/api/restock-requests/" + requestId + "/retry", ADMIN));
    }

    /** The document's schemas, applied to real answers by status as the document lists them. */
    private static final class Contract {

        private final JsonNode document;
        private final JsonSchemaFactory factory;
        private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

        Contract(String json) throws IOException {
            document = JSON.readTree(json);
            factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4, builder -> builder
                    .metaSchema(OpenApi30.getInstance())
                    .defaultMetaSchemaIri(OpenApi30.getInstance().getIri())
                    .schemaLoaders(loaders -> loaders.schemas(Map.of(DOCUMENT_IRI, json))));
        }

        void check(String method, String template, int status, HttpResponse<String> answer) {
            String what = method + " " + template + " " + status;
            assertThat(answer.statusCode()).as(what + ": " + answer.body()).isEqualTo(status);
            String pointer = responsePointer(method, template, status) + "/content/application~1json/schema";
            assertThat(document.at(pointer).isMissingNode()).as("documented JSON schema of " + what + " at " + pointer).isFalse();
            String fragment = pointer.replace("{", "%7B").replace("}", "%7D");
            JsonSchema schema = factory.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + fragment), config);
            Set<ValidationMessage> errors = schema.validate(answer.body(), InputFormat.JSON);
            assertThat(errors).as(what + " answer " + answer.body() + " against the documented schema").isEmpty();
        }

        /** Where the response is described, following a $ref to components/responses. */
        private String responsePointer(String method, String template, int status) {
            String pointer = "/paths/" + template.replace("~", "~0").replace("/", "~1")
                    + "/" + method.toLowerCase(Locale.ROOT) + "/responses/" + status;
            JsonNode ref = document.at(pointer).path("$ref");
            return ref.isTextual() ? ref.asText().substring(1) : pointer;
        }
    }

    /** Not refused at the HTTP edge as a path or method nobody serves. */
    private static void assertReachedARoute(String name, HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(name + " refused at the edge: " + answer.body()).isNotEqualTo(405);
        assertThat(errorOf(answer)).as(name + " refused at the edge").isNotEqualTo("NOT_FOUND");
    }

    private static String errorOf(HttpResponse<String> answer) {
        try {
            return JSON.readTree(answer.body()).path("error").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** The template with each path parameter's example filled in, plus every required query parameter's example. */
    private static String example(String template, PathItem item, Operation operation) {
        List<Parameter> parameters = new ArrayList<>();
        if (item.getParameters() != null) {
            parameters.addAll(item.getParameters());
        }
        if (operation.getParameters() != null) {
            parameters.addAll(operation.getParameters());
        }
        String path = template;
        StringBuilder query = new StringBuilder();
        for (Parameter parameter : parameters) {
            if ("path".equals(parameter.getIn())) {
                assertThat(parameter.getExample()).as("example of path parameter " + parameter.getName() + " of " + template).isNotNull();
                path = path.replace("{" + parameter.getName() + "}", parameter.getExample().toString());
            } else if ("query".equals(parameter.getIn()) && Boolean.TRUE.equals(parameter.getRequired())) {
                assertThat(parameter.getExample()).as("example of query parameter " + parameter.getName() + " of " + template).isNotNull();
                query.append(query.isEmpty() ? '?' : '&').append(parameter.getName()).append('=')
                        .append(URLEncoder.encode(parameter.getExample().toString(), StandardCharsets.UTF_8));
            }
        }
        assertThat(path).as("every path parameter of " + template + " has an example").doesNotContain("{");
        return path + query;
    }

    private static String normalise(String path) {
        String slashed = ("/" + path).replaceAll("/+", "/");
        return slashed.length() > 1 && slashed.endsWith("/") ? slashed.substring(0, slashed.length() - 1) : slashed;
    }

    private static String anyParameter(String template) {
        return template.replaceAll("\\{[^}]+}", "{}");
    }

    private static SwaggerParseResult parse(String document) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        return new OpenAPIV3Parser().readContents(document, null, options);
    }

    private HttpResponse<String> fetch(String path) {
        return call("GET", path, null);
    }

    private HttpResponse<String> call(String method, String path, String authorization) {
        return call(method, path, authorization, null);
    }

    private HttpResponse<String> call(String method, String path, String authorization, String json) {
        return call(method, path, authorization, json, "application/json");
    }

    private HttpResponse<String> call(String method, String path, String authorization, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        Map<String, String> headers = new HashMap<>();
        if (body != null || "POST".equals(method) || "PUT".equals(method)) {
            headers.put("Content-Type", contentType);
        }
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
