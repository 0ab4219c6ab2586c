package io.pekkube.node.images;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pekkube.node.runtime.ContainerRuntime.ImageCheck;
import io.pekkube.node.runtime.ContainerRuntime.ImageConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The images this node "has": there is no registry here, so each known image maps to the config an
 * image would carry (entrypoint, cmd, workingDir, user) and its commands run with the host's tools.
 * The built-in list is the resource {@code io/pekkube/node/images/catalogue.conf}; a pull of any other
 * image fails as containerd's pull of a missing image does.
 */
public final class ImageCatalogue {
  public static final String ERR_IMAGE_PULL = "ErrImagePull";
  public static final String INVALID_IMAGE_NAME = "InvalidImageName";

  private final Map<String, ImageConfig> images;

  public ImageCatalogue(Map<String, ImageConfig> images) {
    this.images = Map.copyOf(images);
  }

  /** The catalogue shipped with the node. */
  public static ImageCatalogue builtIn() {
    return from(ConfigFactory.parseResources(ImageCatalogue.class, "catalogue.conf"));
  }

  static ImageCatalogue from(Config config) {
    Map<String, ImageConfig> images = new HashMap<>();
    for (Config image : config.getConfigList("images")) {
      ImageConfig imageConfig = new ImageConfig(
          image.hasPath("entrypoint") ? image.getStringList("entrypoint") : List.of(),
          image.hasPath("cmd") ? image.getStringList("cmd") : List.of(),
          image.hasPath("working-dir") ? image.getString("working-dir") : "",
          image.hasPath("user") ? image.getString("user") : "");
      for (String name : image.getStringList("names")) {
        String key = ImageReference.parse(name).map(ImageReference::name)
            .orElseThrow(() -> new IllegalArgumentException("catalogue: invalid image name " + name));
        images.put(key, imageConfig);
      }
    }
    return new ImageCatalogue(images);
  }

  /** The image's config, whatever its tag, or empty when the catalogue does not have it. */
  public Optional<ImageConfig> lookup(String image) {
    return ImageReference.parse(image).map(r -> images.get(r.name()));
  }

  /** A pull, answered as the kubelet would report it in the container's waiting state. */
  public ImageCheck pull(String image) {
    Optional<ImageReference> reference = ImageReference.parse(image);
    if (reference.isEmpty()) {
      return new ImageCheck(image, false, INVALID_IMAGE_NAME,
          "Failed to apply default image tag \"" + image + "\": couldn't parse image name \"" + image
              + "\": invalid reference format", null);
    }
    String full = reference.get().toString();
    ImageConfig config = images.get(reference.get().name());
    if (config == null) {
      return new ImageCheck(full, false, ERR_IMAGE_PULL,
          "failed to pull and unpack image \"" + full + "\": failed to resolve reference \"" + full + "\": "
              + full + ": not found", null);
    }
    return new ImageCheck(full, true, "", "", config);
  }
}
