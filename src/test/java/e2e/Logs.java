package e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Every process a test starts writes to target/e2e-logs, to be read when a test fails. */
final class Logs {

    private Logs() {
    }

    static Path file(String name) {
        try {
            Path dir = Path.of("target", "e2e-logs");
            Files.createDirectories(dir);
            return dir.resolve(name + ".log").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
