package io.pekkube.http.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TableRequestTest {
  static final String KUBECTL = "application/json;as=Table;v=v1;g=meta.k8s.io,"
      + "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

  @Test
  void kubectlsAcceptAsksForAV1TableOfMetadataRows() {
    TableRequest t = TableRequest.negotiate(KUBECTL, Optional.empty()).table().orElseThrow();
    assertEquals(new TableRequest("v1", TableRequest.Include.METADATA), t);
    assertEquals(TableRequest.Include.OBJECT,
        TableRequest.negotiate(KUBECTL, Optional.of("Object")).table().orElseThrow().include());
    assertEquals("v1beta1", TableRequest.negotiate("application/json;as=Table;v=v1beta1;g=meta.k8s.io",
        Optional.empty()).table().orElseThrow().version());
  }

  @Test
  void plainJsonFirstOrNoAcceptIsNoTable() {
    assertTrue(TableRequest.negotiate("application/json," + KUBECTL, Optional.empty()).table().isEmpty());
    assertTrue(TableRequest.negotiate("", Optional.empty()).table().isEmpty());
    assertTrue(TableRequest.negotiate("*/*", Optional.empty()).table().isEmpty());
  }

  @Test
  void onlyUnservedConversionsAre406AndAnUnknownIncludeObjectIs400() {
    assertEquals(406, TableRequest.negotiate("application/json;as=Table;v=v9;g=meta.k8s.io", Optional.empty())
        .error().code());
    assertEquals(400, TableRequest.negotiate(KUBECTL, Optional.of("Everything")).error().code());
  }
}
