package io.pekkube.actors.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An immutable set of {@link ResourceType}s with every lookup the API layer needs: by URL
 * coordinates, by resource key, by apiVersion/kind, by kubectl-style name, and the grouping that
 * discovery ({@code /api}, {@code /apis}) publishes.
 *
 * <p>Registries never change; {@link #with} and {@link #without} return new ones, so a registry
 * can be shared freely between threads and actors and swapped atomically when a CRD is
 * established or removed.
 *
 * <p>Ordering: types keep registration order. Groups are ordered by first registration (for
 * {@link #builtin()} that is the order Kubernetes lists them under {@code /apis}); the versions of
 * a group are in Kubernetes' version priority (GA before beta before alpha, higher numbers first,
 * non-Kubernetes-style versions last, alphabetically), and the first is the preferred version.
 *
 * <p>Consistency rules, checked on construction (violations throw {@link
 * IllegalArgumentException}): one type per (group, version, plural) and per (group, version,
 * kind); within a group, a short name belongs to one resource only and never equals another
 * resource's plural; a resource (group + plural) has the same kind in every version.
 */
public final class TypeRegistry {

  /** One entry of {@code /apis}: a group, its versions by priority, and its preferred version. */
  public record ApiGroup(String name, List<String> versions, String preferredVersion) {
    public ApiGroup {
      versions = List.copyOf(versions);
    }

    /** "apps/v1" for each version, in the same order as {@link #versions()}. */
    public List<String> groupVersions() {
      return versions.stream().map(v -> name + "/" + v).toList();
    }
  }

  private final List<ResourceType> types;
  private final Map<String, ResourceType> byGvr;
  private final Map<String, ResourceType> byGvk;
  /** Group → versions sorted by priority; groups in first-registration order. */
  private final Map<String, List<String>> versionsByGroup;
  /** Types by group rank, then version priority, then registration order. */
  private final List<ResourceType> prioritized;

  private TypeRegistry(Collection<ResourceType> input) {
    List<ResourceType> list = new ArrayList<>(input.size());
    Map<String, ResourceType> gvr = new HashMap<>();
    Map<String, ResourceType> gvk = new HashMap<>();
    Map<String, Set<String>> groupVersions = new LinkedHashMap<>();
    // group -> (alias (plural or short name) -> plural owning it)
    Map<String, Map<String, String>> aliases = new HashMap<>();
    // group/plural -> kind
    Map<String, String> kindOfResource = new HashMap<>();

    for (ResourceType raw : input) {
      ResourceType t = normalize(raw);
      if (gvr.putIfAbsent(gvrKey(t.group(), t.version(), t.plural()), t) != null) {
        throw new IllegalArgumentException(
            "duplicate resource " + t.plural() + " in " + t.apiVersion());
      }
      if (gvk.putIfAbsent(gvkKey(t.apiVersion(), t.kind()), t) != null) {
        throw new IllegalArgumentException("duplicate kind " + t.kind() + " in " + t.apiVersion());
      }
      String prev = kindOfResource.putIfAbsent(t.resourceKey(), t.kind());
      if (prev != null && !prev.equals(t.kind())) {
        throw new IllegalArgumentException(
            t.resourceKey() + " has kind " + prev + " in one version and " + t.kind()
                + " in another");
      }
      Map<String, String> groupAliases = aliases.computeIfAbsent(t.group(), g -> new HashMap<>());
      claim(groupAliases, t.plural(), t);
      for (String shortName : t.shortNames()) {
        claim(groupAliases, shortName, t);
      }
      groupVersions.computeIfAbsent(t.group(), g -> new LinkedHashSet<>()).add(t.version());
      list.add(t);
    }

    Map<String, List<String>> versions = new LinkedHashMap<>();
    Map<String, Integer> rank = new HashMap<>();
    // The core group is always first (kubectl and discovery both treat it so).
    if (groupVersions.containsKey("")) {
      versions.put("", sortedVersions(groupVersions.get("")));
      rank.put("", 0);
    }
    for (Map.Entry<String, Set<String>> e : groupVersions.entrySet()) {
      if (!e.getKey().isEmpty()) {
        rank.put(e.getKey(), rank.size());
        versions.put(e.getKey(), sortedVersions(e.getValue()));
      }
    }

    this.types = List.copyOf(list);
    this.byGvr = Map.copyOf(gvr);
    this.byGvk = Map.copyOf(gvk);
    this.versionsByGroup = Collections.unmodifiableMap(versions);
    List<ResourceType> sorted = new ArrayList<>(this.types);
    sorted.sort(
        Comparator.<ResourceType>comparingInt(t -> rank.get(t.group()))
            .thenComparing(ResourceType::version, VERSION_PRIORITY));
    this.prioritized = List.copyOf(sorted);
  }

  /** The built-in Kubernetes types of {@link BuiltinTypes} and the review types of {@link ReviewTypes}. */
  public static TypeRegistry builtin() {
    return Builtin.INSTANCE;
  }

  /** Lazy holder: initialised after this class's static comparators. */
  private static final class Builtin {
    static final TypeRegistry INSTANCE = new TypeRegistry(
        java.util.stream.Stream.concat(BuiltinTypes.ALL_TYPES.stream(), ReviewTypes.ALL.stream()).toList());
  }

  /** A registry of exactly these types, in this order. */
  public static TypeRegistry of(Collection<ResourceType> types) {
    return new TypeRegistry(types);
  }

  /**
   * This registry plus {@code type}. A type with the same (group, version, plural) is replaced in
   * place (a CRD update); otherwise the type is appended.
   *
   * @throws IllegalArgumentException if the result breaks a consistency rule (duplicate kind in a
   *     group-version, short name already taken in the group, ...)
   */
  public TypeRegistry with(ResourceType type) {
    Objects.requireNonNull(type, "type");
    List<ResourceType> next = new ArrayList<>(types.size() + 1);
    boolean replaced = false;
    for (ResourceType t : types) {
      if (sameGvr(t, type.group(), type.version(), type.plural())) {
        next.add(type);
        replaced = true;
      } else {
        next.add(t);
      }
    }
    if (!replaced) {
      next.add(type);
    }
    return new TypeRegistry(next);
  }

  /** This registry without the type at (group, version, plural); itself if there is none. */
  public TypeRegistry without(String group, String version, String plural) {
    if (!byGvr.containsKey(gvrKey(group, version, plural))) {
      return this;
    }
    List<ResourceType> next = new ArrayList<>(types.size());
    for (ResourceType t : types) {
      if (!sameGvr(t, group, version, plural)) {
        next.add(t);
      }
    }
    return new TypeRegistry(next);
  }

  /** Every type, in registration order. */
  public List<ResourceType> all() {
    return types;
  }

  // ---------------------------------------------------------------- exact lookups

  /** The type served at {@code /api[s]/<group>/<version>/.../<plural>}. */
  public Optional<ResourceType> find(String group, String version, String plural) {
    return Optional.ofNullable(byGvr.get(gvrKey(group, version, plural)));
  }

  /**
   * By {@link ResourceType#resourceKey()}: "deployments.apps", or "pods" for the core group. When
   * the resource is served in several versions, the one in the highest-priority version.
   */
  public Optional<ResourceType> byResourceKey(String resourceKey) {
    if (resourceKey == null || resourceKey.isEmpty()) {
      return Optional.empty();
    }
    int dot = resourceKey.indexOf('.');
    String plural = dot < 0 ? resourceKey : resourceKey.substring(0, dot);
    String group = dot < 0 ? "" : resourceKey.substring(dot + 1);
    return preferred(group, plural);
  }

  /** By apiVersion ("v1", "apps/v1") and kind ("Deployment"); both exact, case-sensitive. */
  public Optional<ResourceType> byApiVersionKind(String apiVersion, String kind) {
    if (apiVersion == null || kind == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(byGvk.get(gvkKey(apiVersion, kind)));
  }

  /** By group and kind, in the highest-priority version that serves the kind. */
  public Optional<ResourceType> byGroupKind(String group, String kind) {
    for (String v : versionsByGroup.getOrDefault(group, List.of())) {
      ResourceType t = byGvk.get(gvkKey(apiVersion(group, v), kind));
      if (t != null) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------- kubectl-style resolution

  /**
   * Resolves a name as kubectl does for {@code kubectl get <name>}; the first of {@link
   * #resolveAll}.
   */
  public Optional<ResourceType> resolve(String name) {
    List<ResourceType> all = resolveAll(name);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /**
   * Every type a kubectl-style name can mean, best first. The name is matched case-insensitively
   * and may be:
   *
   * <ul>
   *   <li>a plural, singular or short name ("deployments", "deployment", "Deployment", "deploy");
   *   <li>qualified by group: "deployments.apps", "deploy.apps";
   *   <li>qualified by version and group: "deployments.v1.apps" (tried before the group-only
   *       reading, as kubectl does).
   * </ul>
   *
   * <p>Order: matches on the plural, then on the singular, then on a short name; within each,
   * the core group first, then groups in registry order, and within a group versions by
   * priority. So "ev" and "events" mean core/v1 events first, as in kubectl.
   */
  public List<ResourceType> resolveAll(String name) {
    if (name == null || name.isBlank()) {
      return List.of();
    }
    String arg = name.trim().toLowerCase(Locale.ROOT);
    int dot = arg.indexOf('.');
    if (dot < 0) {
      return matching(arg, null, null);
    }
    String resource = arg.substring(0, dot);
    String rest = arg.substring(dot + 1);
    int dot2 = rest.indexOf('.');
    if (dot2 > 0) {
      // resource.version.group
      String version = rest.substring(0, dot2);
      String group = rest.substring(dot2 + 1);
      List<ResourceType> exact = matching(resource, group, version);
      if (!exact.isEmpty()) {
        return exact;
      }
    }
    // resource.group
    return matching(resource, rest, null);
  }

  /**
   * The types listing {@code category} ("all" for {@code kubectl get all}), one per resource, in
   * its highest-priority version.
   */
  public List<ResourceType> inCategory(String category) {
    List<ResourceType> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ResourceType t : byPriority()) {
      if (t.categories().contains(category) && seen.add(t.resourceKey())) {
        out.add(t);
      }
    }
    return List.copyOf(out);
  }

  // ---------------------------------------------------------------- discovery

  /** The versions of the core group, for {@code /api}: ["v1"]. */
  public List<String> coreVersions() {
    return versionsByGroup.getOrDefault("", List.of());
  }

  /** The named groups, for {@code /apis}, in registry order (the core group is not included). */
  public List<ApiGroup> groups() {
    List<ApiGroup> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : versionsByGroup.entrySet()) {
      if (!e.getKey().isEmpty()) {
        out.add(new ApiGroup(e.getKey(), e.getValue(), e.getValue().get(0)));
      }
    }
    return List.copyOf(out);
  }

  /** One named group, for {@code /apis/<group>}; empty for "" and unknown groups. */
  public Optional<ApiGroup> group(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.empty();
    }
    List<String> versions = versionsByGroup.get(name);
    return versions == null
        ? Optional.empty()
        : Optional.of(new ApiGroup(name, versions, versions.get(0)));
  }

  /** Whether {@code /api/<version>} ("" group) or {@code /apis/<group>/<version>} is served. */
  public boolean serves(String group, String version) {
    return versionsByGroup.getOrDefault(group, List.of()).contains(version);
  }

  /**
   * The types of one group-version, for {@code /api/v1} or {@code /apis/<group>/<version>}, in
   * registration order; empty if the group-version is not served.
   */
  public List<ResourceType> types(String group, String version) {
    return types.stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version))
        .toList();
  }

  /** Same as {@link #types(String, String)} for an apiVersion such as "v1" or "apps/v1". */
  public List<ResourceType> types(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0
        ? types("", apiVersion)
        : types(apiVersion.substring(0, slash), apiVersion.substring(slash + 1));
  }

  // ---------------------------------------------------------------- version priority

  private static final Pattern KUBE_VERSION =
      Pattern.compile("^v([1-9][0-9]*)(?:(alpha|beta)([1-9][0-9]*))?$");

  /**
   * Kubernetes' version priority ({@code version.CompareKubeAwareVersionStrings}): GA versions by
   * major descending, then betas, then alphas (each by major then minor descending), then any
   * other versions alphabetically. Sorting with this comparator puts the preferred version first.
   */
  public static final Comparator<String> VERSION_PRIORITY = TypeRegistry::compareVersions;

  private static int compareVersions(String a, String b) {
    Matcher ma = KUBE_VERSION.matcher(a);
    Matcher mb = KUBE_VERSION.matcher(b);
    boolean ka = ma.matches();
    boolean kb = mb.matches();
    if (!ka || !kb) {
      if (ka) {
        return -1;
      }
      if (kb) {
        return 1;
      }
      return a.compareTo(b);
    }
    int sa = stability(ma.group(2));
    int sb = stability(mb.group(2));
    if (sa != sb) {
      return Integer.compare(sb, sa);
    }
    int major = Long.compare(Long.parseLong(mb.group(1)), Long.parseLong(ma.group(1)));
    if (major != 0 || sa == 2) {
      return major;
    }
    return Long.compare(Long.parseLong(mb.group(3)), Long.parseLong(ma.group(3)));
  }

  private static int stability(String qualifier) {
    if (qualifier == null) {
      return 2;
    }
    return qualifier.equals("beta") ? 1 : 0;
  }

  // ---------------------------------------------------------------- internals

  private List<ResourceType> byPriority() {
    return prioritized;
  }

  /**
   * Types whose plural/singular/short name equals {@code resource}, optionally restricted to a
   * group and version, ranked plural &gt; singular &gt; short name, then by priority.
   */
  private List<ResourceType> matching(String resource, String group, String version) {
    List<ResourceType> plural = new ArrayList<>();
    List<ResourceType> singular = new ArrayList<>();
    List<ResourceType> shortName = new ArrayList<>();
    for (ResourceType t : byPriority()) {
      if (group != null && !t.group().equals(group)) {
        continue;
      }
      if (version != null && !t.version().equals(version)) {
        continue;
      }
      if (t.plural().equals(resource)) {
        plural.add(t);
      } else if (t.singular().equals(resource)) {
        singular.add(t);
      } else if (t.shortNames().contains(resource)) {
        shortName.add(t);
      }
    }
    List<ResourceType> out = new ArrayList<>(plural);
    out.addAll(singular);
    out.addAll(shortName);
    return List.copyOf(out);
  }

  private Optional<ResourceType> preferred(String group, String plural) {
    for (String v : versionsByGroup.getOrDefault(group, List.of())) {
      ResourceType t = byGvr.get(gvrKey(group, v, plural));
      if (t != null) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  private static void claim(Map<String, String> groupAliases, String alias, ResourceType t) {
    String owner = groupAliases.putIfAbsent(alias, t.plural());
    if (owner != null && !owner.equals(t.plural())) {
      throw new IllegalArgumentException(
          "\"" + alias + "\" of " + t.resourceKey() + " is already used by " + owner
              + (t.group().isEmpty() ? "" : "." + t.group()));
    }
  }

  private static ResourceType normalize(ResourceType t) {
    Objects.requireNonNull(t, "type");
    requireText(t.version(), "version", t);
    requireText(t.kind(), "kind", t);
    requireText(t.plural(), "plural", t);
    requireText(t.singular(), "singular", t);
    Objects.requireNonNull(t.group(), "group");
    Objects.requireNonNull(t.nameRule(), "nameRule");
    if (!t.plural().equals(t.plural().toLowerCase(Locale.ROOT))
        || !t.singular().equals(t.singular().toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("plural and singular must be lower case: " + t);
    }
    return new ResourceType(
        t.group(),
        t.version(),
        t.kind(),
        t.plural(),
        t.singular(),
        t.namespaced(),
        copy(t.shortNames()),
        copy(t.categories()),
        copy(t.verbs()),
        t.subresources() == null ? Set.of() : Set.copyOf(t.subresources()),
        t.nameRule(),
        t.hasStatus(),
        t.specFields() == null ? Set.of() : Set.copyOf(t.specFields()));
  }

  private static List<String> copy(List<String> list) {
    return list == null ? List.of() : List.copyOf(list);
  }

  private static void requireText(String s, String what, ResourceType t) {
    if (s == null || s.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty: " + t);
    }
  }

  private static List<String> sortedVersions(Set<String> versions) {
    List<String> list = new ArrayList<>(versions);
    list.sort(VERSION_PRIORITY);
    return List.copyOf(list);
  }

  private static boolean sameGvr(ResourceType t, String group, String version, String plural) {
    return t.group().equals(group) && t.version().equals(version) && t.plural().equals(plural);
  }

  private static String apiVersion(String group, String version) {
    return group.isEmpty() ? version : group + "/" + version;
  }

  private static String gvrKey(String group, String version, String plural) {
    return group + "/" + version + "/" + plural;
  }

  private static String gvkKey(String apiVersion, String kind) {
    return apiVersion + "#" + kind;
  }
}
