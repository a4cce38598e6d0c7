package api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.apache.camel.Exchange;

/**
 * The API's OpenAPI document, written by hand in YAML next to the routes. It is read and turned
 * into JSON once at start, so a broken document stops the app instead of failing a request.
 */
public final class ApiDocs {

    public static final String RESOURCE = "openapi/donut-states.yaml";

    private final byte[] yaml;
    private final byte[] json;

    public ApiDocs(ObjectMapper mapper) {
        try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            yaml = in.readAllBytes();
            json = mapper.writeValueAsBytes(new YAMLMapper().readTree(yaml));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    public void yaml(Exchange exchange) {
        answer(exchange, "application/yaml", yaml);
    }

    public void json(Exchange exchange) {
        answer(exchange, "application/json", json);
    }

    // Like JsonResponses: no request header may be echoed back.
    private static void answer(Exchange exchange, String contentType, byte[] document) {
        var message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
        message.setBody(document);
    }
}
