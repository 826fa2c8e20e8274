package io.tributary.lake.iceberg;

import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The concurrent-archiver cases of {@link ConcurrentArchiversTest} through an Iceberg REST catalog
 * ({@link RestCatalogServer} on 127.0.0.1 in front of a JDBC catalog), each archiver with its own
 * REST client: the service checks each commit's requirements, the client retries and validates.
 */
class ConcurrentArchiversOnRestCatalogTest extends ConcurrentArchiversTest {
  private Catalog backing;
  private RestCatalogServer server;

  @BeforeEach
  void startServer() throws Exception {
    backing = IcebergTables.open(dir);
    server = RestCatalogServer.start(backing);
  }

  @AfterEach
  void stopServer() {
    // Runs before the clients are closed (subclass first); closing a REST client sends no request.
    server.close();
    IcebergTables.close(backing);
  }

  @Override
  Catalog newCatalogClient() {
    return IcebergCatalogs.open("tributary", IcebergArchiverOnRestCatalogTest.restCatalog(server));
  }
}
