package restock;

/**
 * The app stopped while it was ordering a request: the factory may or may not have taken the
 * order, and the legacy API cannot be asked. Ordering again could make the donuts twice, so the
 * request goes to the DLQ and ops decide (retry it from the API if no delivery arrives).
 */
public class InterruptedFactoryOrder extends RuntimeException {

    public InterruptedFactoryOrder(String message) {
        super(message);
    }
}
