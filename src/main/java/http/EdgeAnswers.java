package http;

import api.JsonResponses;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** The answers the HTTP server gives itself, before any route runs, in the API's error shape. */
final class EdgeAnswers {

    private final JsonResponses answers;

    EdgeAnswers(JsonResponses answers) {
        this.answers = answers;
    }

    Future<Void> answer(RoutingContext routing, int status, String code, String message) {
        Buffer body;
        try {
            body = Buffer.buffer(answers.errorBody(code, message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The error shape cannot be written", e);
        }
        return routing.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
    }

    /** For a request whose body will not be read to its end: the connection goes once the answer is out. */
    void answerAndClose(RoutingContext routing, int status, String code, String message) {
        if (routing.response().ended() || routing.response().closed()) {
            routing.request().connection().close();
            return;
        }
        routing.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        answer(routing, status, code, message).onComplete(written -> routing.request().connection().close());
    }
}
