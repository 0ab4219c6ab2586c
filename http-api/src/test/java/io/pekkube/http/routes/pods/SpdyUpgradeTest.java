package io.pekkube.http.routes.pods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;

class SpdyUpgradeTest {

  @Test
  void kubectlsSpdyRequestIsAnUpgradeOfferingItsStreamProtocols() {
    HttpRequest request = HttpRequest.POST("/api/v1/namespaces/default/pods/web/portforward")
        .addHeader(RawHeader.create("Connection", "Upgrade"))
        .addHeader(RawHeader.create("Upgrade", "SPDY/3.1"))
        .addHeader(RawHeader.create("X-Stream-Protocol-Version", "portforward.k8s.io"));
    assertEquals(Optional.of(new SpdyUpgrade(List.of("portforward.k8s.io"))), SpdyUpgrade.of(request));
  }

  @Test
  void withoutConnectionUpgradeOrWithAnotherProtocolItIsNone() {
    HttpRequest noConnection = HttpRequest.POST("/x").addHeader(RawHeader.create("Upgrade", "SPDY/3.1"));
    HttpRequest webSocket = HttpRequest.GET("/x").addHeader(RawHeader.create("Connection", "Upgrade"))
        .addHeader(RawHeader.create("Upgrade", "websocket"));
    assertTrue(SpdyUpgrade.of(noConnection).isEmpty());
    assertTrue(SpdyUpgrade.of(webSocket).isEmpty());
  }
}
