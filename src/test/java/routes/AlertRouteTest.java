package routes;

import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AlertRouteTest extends RouteTestSupport {

    @Test
    void aDeadLetterMarksTheRequestFailedAndMailsOpsEverythingNeededToAct() throws Exception {
        MockEndpoint mail = getMockEndpoint("mock:ops-mail");
        String requestId = stockOutRequest("AL-1");
        db().update("UPDATE restock_requests SET attempts = 6 WHERE id = ?", requestId);

        Exchange alerted = deadLetter(requestId, "HTTP operation failed with statusCode: 503", UUID.randomUUID().toString());

        assertThat(alerted.getException()).isNull();
        assertThat(statusOf(requestId)).isEqualTo("FAILED");
        assertThat(db().queryForObject("SELECT last_error FROM restock_requests WHERE id = ?", String.class, requestId))
                .isEqualTo("HTTP operation failed with statusCode: 503");
        assertThat(mail.getReceivedExchanges()).hasSize(1);
        Exchange email = mail.getReceivedExchanges().get(0);
        assertThat(email.getMessage().getHeader("Subject", String.class)).contains("AL-1").contains(requestId);
        assertThat(email.getMessage().getBody(String.class))
                .contains("Product:     AL-1")
                .contains("Quantity:    10")
                .contains("Request id:  " + requestId)
                .contains("Attempts:    6")
                .contains("Last error:  HTTP operation failed with statusCode: 503")
                .contains(baseUrl() + "/api/restock-requests/" + requestId + "/retry");
    }

    @Test
    void whenSmtpRefusesTheMailTheDeadLetterStaysAndItsRedeliverySendsOneEmail() throws Exception {
        MockEndpoint mail = getMockEndpoint("mock:ops-mail");
        mail.whenExchangeReceived(1, exchange -> {
            throw new IllegalStateException("SMTP connection refused");
        });
        String requestId = stockOutRequest("AL-2");
        String sqsMessageId = UUID.randomUUID().toString();

        Exchange first = deadLetter(requestId, "boom", sqsMessageId);
        Exchange redelivered = deadLetter(requestId, "boom", sqsMessageId);

        assertThat(first.getException()).as("not deleted from the DLQ").isNotNull();
        assertThat(redelivered.getException()).isNull();
        assertThat(mail.getReceivedCounter()).isEqualTo(2);
        assertThat(statusOf(requestId)).isEqualTo("FAILED");
    }

    @Test
    void aDeadLetterDeliveredAgainAfterItsMailWasSentIsNotMailedTwice() throws Exception {
        MockEndpoint mail = getMockEndpoint("mock:ops-mail");
        String requestId = stockOutRequest("AL-3");
        String sqsMessageId = UUID.randomUUID().toString();

        deadLetter(requestId, "boom", sqsMessageId);
        deadLetter(requestId, "boom", sqsMessageId);

        assertThat(mail.getReceivedCounter()).isEqualTo(1);
    }

    @Test
    void aSecondDeadLetterForTheSameFailureIsNotMailedButAFailureAfterARetryIs() throws Exception {
        MockEndpoint mail = getMockEndpoint("mock:ops-mail");
        String requestId = stockOutRequest("AL-5");
        db().update("UPDATE restock_requests SET attempts = 3 WHERE id = ?", requestId);

        deadLetter(requestId, "No delivery callback", UUID.randomUUID().toString());
        deadLetter(requestId, "No delivery callback", UUID.randomUUID().toString());
        assertThat(mail.getReceivedCounter()).as("emails for one failure").isEqualTo(1);

        db().update("UPDATE restock_requests SET status = 'PUBLISHED', attempts = 4 WHERE id = ?", requestId);
        deadLetter(requestId, "factory answered 503", UUID.randomUUID().toString());
        assertThat(mail.getReceivedCounter()).as("emails after the request failed again").isEqualTo(2);
        assertThat(statusOf(requestId)).isEqualTo("FAILED");
    }

    @Test
    void aDeadLetterForARequestThatWasOrderedAfterAllLeavesItAlone() throws Exception {
        String requestId = stockOutRequest("AL-4");
        db().update("UPDATE restock_requests SET status = 'ORDERED' WHERE id = ?", requestId);

        deadLetter(requestId, "late timeout", UUID.randomUUID().toString());

        assertThat(statusOf(requestId)).isEqualTo("ORDERED");
    }

    @Test
    void anUnreadableMessageIsStillReportedToOps() throws Exception {
        MockEndpoint mail = getMockEndpoint("mock:ops-mail");

        template.send("direct:stock-dlq", exchange -> {
            exchange.getMessage().setHeader("CamelAwsSqsMessageId", UUID.randomUUID().toString());
            exchange.getMessage().setHeader("LastError", "The message is not JSON");
            exchange.getMessage().setBody("garbage");
        });

        assertThat(mail.getReceivedExchanges()).hasSize(1);
        assertThat(mail.getReceivedExchanges().get(0).getMessage().getBody(String.class))
                .contains("The message is not JSON").contains("garbage");
    }

    private Exchange deadLetter(String requestId, String lastError, String sqsMessageId) throws Exception {
        return template.send("direct:stock-dlq", exchange -> {
            exchange.getMessage().setHeader("CamelAwsSqsMessageId", sqsMessageId);
            exchange.getMessage().setHeader("RequestId", requestId);
            exchange.getMessage().setHeader("LastError", lastError);
            exchange.getMessage().setBody(FactoryRouteTest.snsEnvelope(requestId));
        });
    }
}
