package restock;

/** A message on the stock queue that no retry can make sense of: it goes straight to the DLQ. */
public class InvalidRestockMessage extends RuntimeException {

    public InvalidRestockMessage(String message) {
        super(message);
    }
}
