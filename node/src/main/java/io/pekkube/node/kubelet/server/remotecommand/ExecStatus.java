package io.pekkube.node.kubelet.server.remotecommand;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import java.util.List;
import org.apache.pekko.util.ByteString;

/**
 * What the error channel carries when a remote command ends, as the kubelet writes it: a {@code Status}
 * that is {@code Success}, {@code NonZeroExitCode} with the code as the {@code ExitCode} cause (kubectl
 * prints {@code command terminated with exit code N} and exits with N), or {@code InternalError} when
 * the command could not run at all.
 */
public final class ExecStatus {
  private ExecStatus() {}

  public static ByteString success() {
    return ByteString.fromString("{\"metadata\":{},\"status\":\"Success\"}");
  }

  public static ByteString exitCode(List<String> command, int exitCode) {
    if (exitCode == 0) {
      return success();
    }
    ObjectNode status = Json.object();
    status.putObject("metadata");
    status.put("status", "Failure");
    // Go's %v of the command: [sh -c exit 3].
    status.put("message", "command terminated with non-zero exit code: error executing command ["
        + String.join(" ", command) + "], exit code " + exitCode);
    status.put("reason", "NonZeroExitCode");
    status.putObject("details").putArray("causes").addObject().put("reason", "ExitCode")
        .put("message", Integer.toString(exitCode));
    return ByteString.fromString(Json.write(status));
  }

  /** The command could not be run; {@code cause} says why, as the runtime reported it. */
  public static ByteString internalError(String cause) {
    ObjectNode status = Json.object();
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", "Internal error occurred: " + cause);
    status.put("reason", "InternalError");
    status.putObject("details").putArray("causes").addObject().put("message", cause);
    status.put("code", 500);
    return ByteString.fromString(Json.write(status));
  }
}
