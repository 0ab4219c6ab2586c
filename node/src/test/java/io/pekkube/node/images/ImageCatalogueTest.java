package io.pekkube.node.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkube.node.runtime.ContainerRuntime.ImageCheck;
import io.pekkube.node.runtime.ContainerRuntime.ImageConfig;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageCatalogueTest {
  private final ImageCatalogue catalogue = ImageCatalogue.builtIn();

  static Stream<Arguments> references() {
    return Stream.of(
        Arguments.of("busybox", "docker.io/library/busybox:latest"),
        Arguments.of("busybox:1.36", "docker.io/library/busybox:1.36"),
        Arguments.of("library/busybox", "docker.io/library/busybox:latest"),
        Arguments.of("docker.io/library/busybox:1.36", "docker.io/library/busybox:1.36"),
        Arguments.of("curlimages/curl:8.5.0", "docker.io/curlimages/curl:8.5.0"),
        Arguments.of("registry.k8s.io/pause:3.9", "registry.k8s.io/pause:3.9"),
        Arguments.of("localhost/app", "localhost/app:latest"),
        Arguments.of("localhost:5000/team/app:v1", "localhost:5000/team/app:v1"),
        Arguments.of("python:3.12-slim", "docker.io/library/python:3.12-slim"),
        Arguments.of("nginx@sha256:" + "a".repeat(64), "docker.io/library/nginx@sha256:" + "a".repeat(64)));
  }

  @ParameterizedTest
  @MethodSource("references")
  void referencesAreNormalisedLikeKubernetes(String image, String normalised) {
    assertEquals(normalised, ImageReference.parse(image).orElseThrow().toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Busybox", "busybox:", "busybox:tag with space", " busybox", "busy//box", "-busybox"})
  void invalidNamesAreNotReferences(String image) {
    assertTrue(ImageReference.parse(image).isEmpty(), image);
  }

  @ParameterizedTest
  @ValueSource(strings = {"busybox", "docker.io/library/busybox:1.36", "busybox:latest", "library/busybox:musl"})
  void everySpellingOfBusyboxFindsTheSameImage(String image) {
    ImageCheck check = catalogue.pull(image);
    assertTrue(check.present());
    assertEquals("", check.reason());
    assertEquals(new ImageConfig(List.of(), List.of("sh"), "", ""), check.config());
  }

  @Test
  void theCatalogueHasTheCommonImages() {
    assertEquals(List.of("python3"), catalogue.lookup("python:3.12").orElseThrow().cmd());
    assertEquals(List.of("sleep", "infinity"), catalogue.lookup("registry.k8s.io/pause:3.9").orElseThrow().entrypoint());
    ImageConfig nginx = catalogue.lookup("nginx:1.27").orElseThrow();
    assertEquals(List.of("python3", "-m", "http.server", "80"), nginx.cmd());
    assertEquals("/usr/share/nginx/html", nginx.workingDir());
    assertEquals(List.of("curl"), catalogue.lookup("curlimages/curl").orElseThrow().entrypoint());
    for (String image : List.of("alpine", "perl", "debian", "httpd", "hello-world")) {
      assertTrue(catalogue.lookup(image).isPresent(), image);
    }
  }

  @Test
  void anUnknownImageIsErrImagePullWithContainerdsMessage() {
    ImageCheck check = catalogue.pull("nosuch");
    assertFalse(check.present());
    assertEquals("ErrImagePull", check.reason());
    assertEquals("failed to pull and unpack image \"docker.io/library/nosuch:latest\": failed to resolve reference "
        + "\"docker.io/library/nosuch:latest\": docker.io/library/nosuch:latest: not found", check.message());
  }

  @Test
  void anInvalidNameIsInvalidImageName() {
    ImageCheck check = catalogue.pull("Not/Valid");
    assertFalse(check.present());
    assertEquals("InvalidImageName", check.reason());
    assertTrue(check.message().contains("invalid reference format"), check.message());
  }
}
