package io.pekkube.actors.api.schema;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.kubernetes.client.proto.IntStr;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Autoscaling;
import io.kubernetes.client.proto.V1Batch;
import io.kubernetes.client.proto.V1Networking;
import io.kubernetes.client.proto.V1Policy;
import io.kubernetes.client.proto.V1Rbac;
import io.kubernetes.client.proto.V1Storage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Kubernetes protobuf descriptors of {@code client-java-proto}, indexed by API group, version
 * and kind, and the names Kubernetes gives their messages in OpenAPI.
 *
 * <p>The proto package of a built-in group is {@code k8s.io.api.<first label of the group>.<version>}
 * ("rbac.authorization.k8s.io" → {@code k8s.io.api.rbac.v1}, the core group → {@code core}); the
 * OpenAPI name is the package reversed into {@code io.k8s...} with '_' written '-'.
 */
public final class ProtoTypes {

  public static final String TIME = "k8s.io.apimachinery.pkg.apis.meta.v1.Time";
  public static final String MICRO_TIME = "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime";
  public static final String DURATION = "k8s.io.apimachinery.pkg.apis.meta.v1.Duration";
  public static final String FIELDS_V1 = "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1";
  public static final String QUANTITY = "k8s.io.apimachinery.pkg.api.resource.Quantity";
  public static final String INT_OR_STRING = "k8s.io.apimachinery.pkg.util.intstr.IntOrString";
  public static final String RAW_EXTENSION = "k8s.io.apimachinery.pkg.runtime.RawExtension";

  /** The files of the built-in groups this jar carries (others are older or unserved versions). */
  private static final List<FileDescriptor> FILES = List.of(
      Meta.getDescriptor(), Resource.getDescriptor(), IntStr.getDescriptor(), Runtime.getDescriptor(),
      V1.getDescriptor(), V1Apps.getDescriptor(), V1Autoscaling.getDescriptor(), V1Batch.getDescriptor(),
      V1Networking.getDescriptor(), V1Policy.getDescriptor(), V1Rbac.getDescriptor(),
      V1Storage.getDescriptor());

  /**
   * The review groups (authentication, authorization): create-only kinds whose bodies kubectl posts
   * as protobuf. Found by kind only; kept out of {@link #unique} so that their copies of shared
   * names (ExtraValue) do not make the stored types' lookups ambiguous.
   */
  private static final List<FileDescriptor> REVIEW_FILES = List.of(
      V1Authentication.getDescriptor(), V1Authorization.getDescriptor());

  private static final ProtoTypes INSTANCE = new ProtoTypes();

  private final Map<String, Descriptor> byFullName = new HashMap<>();
  /** "v1/ObjectMeta" → every message of that version and simple name. */
  private final Map<String, List<Descriptor>> byVersionAndName = new HashMap<>();

  private ProtoTypes() {
    for (FileDescriptor file : FILES) {
      for (Descriptor d : file.getMessageTypes()) {
        byFullName.put(d.getFullName(), d);
        byVersionAndName.computeIfAbsent(version(d) + "/" + d.getName(), k -> new ArrayList<>()).add(d);
      }
    }
    for (FileDescriptor file : REVIEW_FILES) {
      for (Descriptor d : file.getMessageTypes()) {
        byFullName.put(d.getFullName(), d);
      }
    }
  }

  public static ProtoTypes get() {
    return INSTANCE;
  }

  /** The message of a top-level kind, e.g. ("apps", "v1", "Deployment"). */
  public Optional<Descriptor> kind(String group, String version, String kind) {
    return Optional.ofNullable(byFullName.get(protoPackage(group, version) + "." + kind));
  }

  /** The only message named {@code name} in some group at {@code version}, if exactly one. */
  public Optional<Descriptor> unique(String version, String name) {
    List<Descriptor> all = byVersionAndName.getOrDefault(version + "/" + name, List.of());
    return all.size() == 1 ? Optional.of(all.get(0)) : Optional.empty();
  }

  /** A message by its full protobuf name. */
  public Optional<Descriptor> message(String fullName) {
    return Optional.ofNullable(byFullName.get(fullName));
  }

  /** "io.k8s.api.core.v1.ConfigMap" for {@code k8s.io.api.core.v1.ConfigMap}. */
  public static String openApiName(Descriptor d) {
    return "io.k8s." + d.getFullName().substring("k8s.io.".length()).replace('_', '-');
  }

  /** The proto package of a built-in group's version. */
  public static String protoPackage(String group, String version) {
    return "k8s.io." + apiPackage(group, version).substring("io.k8s.".length()).replace('-', '_');
  }

  /** The OpenAPI name prefix of a group's version: "io.k8s.api.apps.v1". */
  public static String apiPackage(String group, String version) {
    if (group.equals("apiextensions.k8s.io") || group.equals("apiextensions")) {
      return "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions." + version;
    }
    if (group.equals("meta")) {
      return "io.k8s.apimachinery.pkg.apis.meta." + version;
    }
    String first = group.isEmpty() ? "core" : group.split("\\.")[0];
    return "io.k8s.api." + first + "." + version;
  }

  /** The version label of a message's package: "v1" for k8s.io.api.apps.v1. */
  static String version(Descriptor d) {
    String pkg = d.getFile().getPackage();
    return pkg.substring(pkg.lastIndexOf('.') + 1);
  }
}
