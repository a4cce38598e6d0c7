package routes;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

        assertThat(post("/api/restock-requests/" + requestId + "/retry", null, Map.of("Authorization", ADMIN)).status()).isEqualTo(202);
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

    @Test
    void aMessageSqsRedroveIsReadForItsRequestWhichFailsWithOneEmailSayingWhy() throws Exception {
        MockEndpoint mail = getMockEndpoint("mock:ops-mail");
        String requestId = publishedRequest("AL-REDRIVE");

        Exchange alerted = redriven(requestId, 7);
        redriven(requestId, 8);

        assertThat(alerted.getException()).isNull();
        assertThat(statusOf(requestId)).isEqualTo("FAILED");
        assertThat(db().queryForObject("SELECT last_error FROM restock_requests WHERE id = ?", String.class, requestId))
                .contains("redrive policy after 6 receives");
        assertThat(mail.getReceivedExchanges()).singleElement().satisfies(email -> {
            assertThat(email.getMessage().getHeader("Subject", String.class)).contains("AL-REDRIVE").contains(requestId);
            assertThat(email.getMessage().getBody(String.class))
                    .contains("Product:     AL-REDRIVE")
                    .contains("Quantity:    10")
                    .contains("Request id:  " + requestId)
                    .contains("redrive policy after 6 receives")
                    .contains("Search the app's log for the request id")
                    .contains(baseUrl() + "/api/restock-requests/" + requestId + "/retry");
        });
        assertThat(scrape()).containsEntry("donut_dead_letters_total{reason=\"sqs_redrive\"}", 1.0)
                .containsEntry("donut_alert_emails_sent_total", 1.0);
    }

    @Test
    void aMessageSqsRedroveForARequestThatWentOnIsNoFailure() throws Exception {
        MockEndpoint mail = getMockEndpoint("mock:ops-mail");
        String ordered = publishedRequest("AL-REDRIVE-ORDERED");
        db().update("UPDATE restock_requests SET status = 'ORDERED' WHERE id = ?", ordered);
        String leased = publishedRequest("AL-REDRIVE-LEASED");
        db().update("UPDATE restock_requests SET lease_until = TIMESTAMPADD(SECOND, 60, CURRENT_TIMESTAMP(3)) WHERE id = ?", leased);

        assertThat(redriven(ordered, 6).getException()).isNull();
        assertThat(redriven(leased, 6).getException()).isNull();

        assertThat(statusOf(ordered)).isEqualTo("ORDERED");
        assertThat(statusOf(leased)).as("a consumer is ordering it right now").isEqualTo("PUBLISHED");
        assertThat(mail.getReceivedCounter()).isZero();
    }

    @Test
    void anUnreadableMessageSqsRedroveGetsOneEmailWithItsBody() throws Exception {
        MockEndpoint mail = getMockEndpoint("mock:ops-mail");
        String sqsMessageId = UUID.randomUUID().toString();

        for (int i = 0; i < 2; i++) {
            template.send("direct:stock-dlq", exchange -> {
                exchange.getMessage().setHeader("CamelAwsSqsMessageId", sqsMessageId);
                exchange.getMessage().setBody("{\"Type\":\"Notification\",\"Message\":\"\\u0000 not ours\"}");
            });
        }

        assertThat(mail.getReceivedExchanges()).singleElement().satisfies(email -> assertThat(email.getMessage().getBody(String.class))
                .contains("named no restock request we know").contains("not ours"));
    }

    private Exchange deadLetter(String requestId, String lastError, String sqsMessageId) throws Exception {
        int round = db().queryForObject("SELECT retries FROM restock_requests WHERE id = ?", Integer.class, requestId);
        return template.send("direct:stock-dlq", exchange -> {
            exchange.getMessage().setHeader("CamelAwsSqsMessageId", sqsMessageId);
            exchange.getMessage().setHeader("RequestId", requestId);
            exchange.getMessage().setHeader("DeadLetterReason", "retries_exhausted");
            exchange.getMessage().setHeader("Retries", String.valueOf(round));
            exchange.getMessage().setHeader("LastError", lastError);
            exchange.getMessage().setBody(FactoryRouteTest.snsEnvelope(requestId, round));
        });
    }

    /** What SQS's redrive policy puts on stock-dlq: the SNS envelope as it was, no attributes of ours. */
    private Exchange redriven(String requestId, int approximateReceiveCount) throws Exception {
        return template.send("direct:stock-dlq", exchange -> {
            exchange.getMessage().setHeader("CamelAwsSqsMessageId", UUID.randomUUID().toString());
            exchange.getMessage().setHeader("ApproximateReceiveCount", String.valueOf(approximateReceiveCount));
            exchange.getMessage().setBody(FactoryRouteTest.snsEnvelope(requestId));
        });
    }

    private String publishedRequest(String sku) {
        String requestId = stockOutRequest(sku);
        await().atMost(10, TimeUnit.SECONDS).until(() -> "PUBLISHED".equals(statusOf(requestId)));
        return requestId;
    }
}
