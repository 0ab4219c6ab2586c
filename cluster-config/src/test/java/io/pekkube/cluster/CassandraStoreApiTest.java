package io.pekkube.cluster;

import io.pekkube.persistence.journal.RealCassandra;
import org.junit.jupiter.api.extension.ExtendWith;

/** The API contract on a real Apache Cassandra node started by the project's launcher. */
@ExtendWith(RealCassandra.class)
class CassandraStoreApiTest extends ApiContract {
  @Override
  String store() {
    return RealCassandra.storeUri();
  }
}
