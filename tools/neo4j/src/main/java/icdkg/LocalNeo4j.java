package icdkg;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;

/** Starts Neo4j Community embedded with a Bolt connector; stops it on SIGTERM/SIGINT. */
public final class LocalNeo4j {
  public static void main(String[] args) throws Exception {
    Path home = Path.of(args.length > 0 ? args[0] : ".icdkg/neo4j").toAbsolutePath();
    String host = System.getenv().getOrDefault("NEO4J_BOLT_HOST", "127.0.0.1");
    int port = Integer.parseInt(System.getenv().getOrDefault("NEO4J_BOLT_PORT", "7687"));
    String password = System.getenv().getOrDefault("NEO4J_PASSWORD", "icdkg-dev-password");

    DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
        .setConfig(BoltConnector.enabled, true)
        .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
        .setConfig(HttpConnector.enabled, false)
        .setConfig(GraphDatabaseSettings.auth_enabled, true)
        .setConfig(GraphDatabaseSettings.pagecache_memory, 256L * 1024 * 1024)
        .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofMinutes(5))
        .build();
    Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown, "neo4j-shutdown"));
    try {
      // The first start creates user neo4j with Neo4j's default password; set ours through the
      // system database. Neo4j refuses an unchanged password, which means it is already set.
      dbms.database("system").executeTransactionally(
          "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
    } catch (QueryExecutionException e) {
      if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
        System.err.println("could not set the neo4j password: " + e.getMessage());
        System.exit(1);
      }
    }
    System.out.println("neo4j ready bolt://" + host + ":" + port);
    Thread.currentThread().join();
  }
}
