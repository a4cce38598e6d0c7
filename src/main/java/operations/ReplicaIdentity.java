package operations;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/**
 * Names this process among the replicas that share one database, for the leases in
 * {@code replica_leases}: the host, so an operator can tell which replica holds one, and a random
 * suffix, because two replicas can run on one host and a restarted one is a new holder.
 */
public record ReplicaIdentity(String id) {

    public static ReplicaIdentity ofThisProcess() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String name = host.length() > 48 ? host.substring(0, 48) : host;
        return new ReplicaIdentity(name + "-" + suffix);
    }
}
