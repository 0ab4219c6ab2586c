package io.pekkube.http.tables;

import io.pekkube.actors.api.ResourceType;
import java.util.HashMap;
import java.util.Map;

/**
 * The printer of every built-in type, by resource key ("pods", "deployments.apps"), as
 * Kubernetes' {@code pkg/printers/internalversion} defines them. A type without its own printer
 * (Roles, LimitRanges, CRDs, custom resources) gets Kubernetes' default table: NAME and CREATED AT.
 */
public final class Printers {
  private static final Map<String, Printer> BUILTIN = builtin();

  private static final Printer DEFAULT = Printer.of(
      (o, now) -> Cells.row(Cells.name(o), Cells.text(o, "metadata", "creationTimestamp")),
      Column.nameColumn(),
      new Column("Created At", "date", "", Column.AGE_DOC, 0));

  private Printers() {}

  private static Map<String, Printer> builtin() {
    Map<String, Printer> m = new HashMap<>();
    m.put("pods", PodPrinter.printer());
    m.putAll(CorePrinters.all());
    m.putAll(AppsPrinters.all());
    m.putAll(BatchPrinters.all());
    m.putAll(NetworkingPrinters.all());
    m.putAll(StoragePrinters.all());
    m.putAll(EventPrinters.all());
    m.putAll(RbacPrinters.all());
    m.putAll(ClusterOpsPrinters.all());
    return Map.copyOf(m);
  }

  public static Printer forType(ResourceType type) {
    return BUILTIN.getOrDefault(type.resourceKey(), DEFAULT);
  }

  /** The NAME / CREATED AT printer of types without their own. */
  public static Printer defaultPrinter() {
    return DEFAULT;
  }
}
