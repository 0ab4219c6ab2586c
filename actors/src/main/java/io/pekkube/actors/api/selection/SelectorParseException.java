package io.pekkube.actors.api.selection;

/**
 * A label or field selector that cannot be parsed or used; the message is the one Kubernetes
 * gives, so the API layer can return it verbatim in a 400 {@code BadRequest} Status.
 */
public final class SelectorParseException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public SelectorParseException(String message) {
    super(message);
  }
}
