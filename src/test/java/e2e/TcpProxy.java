package e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A TCP proxy the test controls, in front of a real dependency: socat (Debian's, installed by
 * ./test.sh), one process per connection. It forwards; it refuses (nothing listens, and the open
 * connections are closed); it hangs (SIGSTOP: the connections stay open and the kernel still
 * accepts new ones, but not a byte is forwarded, as in a network blackhole); or it abandons its
 * connections hung for good and listens again on the same port, as a failover to a new primary
 * behind the same address does. It may also write down what passes through it (socat -v), for a
 * test to read what a client asked.
 */
final class TcpProxy implements AutoCloseable {

    private final int port = Ports.free();
    private final int target;
    private final Path traffic;
    private final List<ProcessHandle> abandoned = new ArrayList<>();
    private Process listener;

    private TcpProxy(int target, Path traffic) {
        this.target = target;
        this.traffic = traffic;
        forward();
    }

    /** A proxy on a free port of 127.0.0.1 to the given port there. */
    static TcpProxy to(int targetPort) {
        return new TcpProxy(targetPort, null);
    }

    int port() {
        return port;
    }

    /** The same, writing down what it forwards, both ways, as text: {@link #traffic()}. */
    static TcpProxy recordingTo(int targetPort) {
        Path traffic = Logs.file("tcp-proxy").resolveSibling("tcp-proxy-" + targetPort + "-" + System.nanoTime());
        try {
            Files.createDirectories(traffic);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TcpProxy(targetPort, traffic);
    }

    /** Every connection's bytes so far, each connection's by itself (socat -v, one file per connection). */
    String traffic() {
        try (Stream<Path> connections = Files.list(traffic)) {
            StringBuilder all = new StringBuilder();
            for (Path connection : connections.sorted().toList()) {
                all.append(Files.readString(connection, StandardCharsets.ISO_8859_1));
            }
            return all.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Listens and forwards (again), once it accepts connections. */
    synchronized void forward() {
        if (listener != null && listener.isAlive()) {
            return;
        }
        // Recording, each connection is forwarded by a socat of its own, so that no two write into one file.
        String forwardTo = traffic == null ? "TCP:127.0.0.1:" + target
                : "SYSTEM:exec socat -v - TCP\\:127.0.0.1\\:" + target + " 2>" + traffic + "/$$.log";
        try {
            listener = new ProcessBuilder("socat", "TCP-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr,fork", forwardTo)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException("socat did not start (./test.sh installs it)", e);
        }
        await("socat listening on " + port).atMost(Duration.ofSeconds(10)).until(this::accepts);
    }

    /** Nothing listens any more, and every open connection is closed. */
    synchronized void refuse() {
        if (listener != null) {
            List<ProcessHandle> all = withConnections(listener.toHandle());
            all.forEach(ProcessHandle::destroyForcibly);
            all.forEach(process -> process.onExit().join());
            listener = null;
        }
    }

    /** Every connection, open or new, stays open and nothing is forwarded, until {@link #resume()}. */
    synchronized void hang() {
        signal("STOP", withConnections(listener.toHandle()));
    }

    synchronized void resume() {
        signal("CONT", withConnections(listener.toHandle()));
    }

    /**
     * The connections open now hang for good (and new ones, until another listener is up); a new
     * listener then takes the port, as a new primary behind the same address: what a pool holds
     * from before never answers again, what it opens after does.
     */
    synchronized void abandonConnectionsAndListenAgain() {
        List<ProcessHandle> connections = withConnections(listener.toHandle());
        signal("STOP", connections);
        connections.remove(listener.toHandle());
        abandoned.addAll(connections);
        listener.destroyForcibly();
        listener.onExit().join();
        listener = null;
        forward();
    }

    @Override
    public synchronized void close() {
        refuse();
        abandoned.forEach(ProcessHandle::destroyForcibly);
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<ProcessHandle> withConnections(ProcessHandle listener) {
        List<ProcessHandle> all = new ArrayList<>(listener.descendants().toList());
        all.add(0, listener);
        return all;
    }

    private static void signal(String name, List<ProcessHandle> processes) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + name));
        processes.forEach(process -> command.add(String.valueOf(process.pid())));
        try {
            new ProcessBuilder(command).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
