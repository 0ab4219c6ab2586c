package io.pekkube.node.images;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image reference normalised as Kubernetes and containerd do: {@code busybox},
 * {@code busybox:latest}, {@code library/busybox} and {@code docker.io/library/busybox:latest} are
 * all {@code docker.io/library/busybox:latest}. The first path component is a registry only when it
 * has a dot or a port or is {@code localhost}; Docker Hub's single-name images live under
 * {@code library/}; a missing tag (and no digest) is {@code latest}.
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
  private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final Pattern REFERENCE = Pattern.compile(
      "((?:" + COMPONENT + ")(?:/" + COMPONENT + ")*)"                           // path, maybe with a registry
          + "(?::([\\w][\\w.-]{0,127}))?"                                          // tag
          + "(?:@(sha256:[a-f0-9]{64}))?");                                      // digest
  private static final Pattern REGISTRY = Pattern.compile("^([a-zA-Z0-9.-]+(?::[0-9]+)?)/(.+)$");

  /** The reference, or empty when it is not a valid image name (Kubernetes' {@code InvalidImageName}). */
  public static Optional<ImageReference> parse(String image) {
    if (image == null || image.isBlank() || !image.strip().equals(image)) {
      return Optional.empty();
    }
    String registry = "docker.io";
    String rest = image;
    Matcher r = REGISTRY.matcher(image);
    if (r.matches()) {
      String first = r.group(1);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        rest = r.group(2);
      }
    }
    Matcher m = REFERENCE.matcher(rest);
    if (!m.matches()) {
      return Optional.empty();
    }
    String repository = m.group(1);
    if (registry.equals("docker.io") && !repository.contains("/")) {
      repository = "library/" + repository;
    }
    String digest = m.group(3) == null ? "" : m.group(3);
    String tag = m.group(2) != null ? m.group(2) : (digest.isEmpty() ? "latest" : "");
    return Optional.of(new ImageReference(registry, repository, tag, digest));
  }

  /** {@code registry/repository}, the catalogue's key. */
  public String name() {
    return registry + "/" + repository;
  }

  /** The full normalised reference, as containerStatuses' {@code image} shows it. */
  @Override
  public String toString() {
    return name() + (tag.isEmpty() ? "" : ":" + tag) + (digest.isEmpty() ? "" : "@" + digest);
  }
}
