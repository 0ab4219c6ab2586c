package io.pekkube.cluster;

/** The API contract on the embedded store (Pekko Persistence JDBC over an H2 file). */
class EmbeddedStoreApiTest extends ApiContract {
  @Override
  String store() {
    return "embedded";
  }
}
