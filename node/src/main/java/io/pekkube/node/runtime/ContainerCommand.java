package io.pekkube.node.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line a container runs, decided as Kubernetes does ("Define a Command and Arguments for
 * a Container"): the pod's {@code command} replaces the image's entrypoint, its {@code args} replace
 * the image's cmd, and a {@code command} without {@code args} drops the image's cmd too. References
 * {@code $(VAR)} in command and args are expanded with the container's env first.
 */
public final class ContainerCommand {
  private ContainerCommand() {}

  /**
   * The final argv.
   *
   * <table>
   *   <tr><th>command</th><th>args</th><th>runs</th></tr>
   *   <tr><td>-</td><td>-</td><td>image entrypoint + image cmd</td></tr>
   *   <tr><td>set</td><td>-</td><td>command</td></tr>
   *   <tr><td>-</td><td>set</td><td>image entrypoint + args</td></tr>
   *   <tr><td>set</td><td>set</td><td>command + args</td></tr>
   * </table>
   */
  public static List<String> resolve(List<String> command, List<String> args, List<String> imageEntrypoint,
      List<String> imageCmd, Map<String, String> env) {
    List<String> argv = new ArrayList<>();
    if (!command.isEmpty()) {
      command.forEach(c -> argv.add(expand(c, env)));
      args.forEach(a -> argv.add(expand(a, env)));
    } else {
      argv.addAll(imageEntrypoint);
      if (!args.isEmpty()) {
        args.forEach(a -> argv.add(expand(a, env)));
      } else {
        argv.addAll(imageCmd);
      }
    }
    return argv;
  }

  /** {@link #resolve(List, List, List, List, Map)} against an image's config. */
  public static List<String> resolve(List<String> command, List<String> args, ContainerRuntime.ImageConfig image,
      Map<String, String> env) {
    return resolve(command, args, image.entrypoint(), image.cmd(), env);
  }

  /** The container's {@code workingDir}, else the image's, else {@code /}. */
  public static String workingDir(String containerWorkingDir, ContainerRuntime.ImageConfig image) {
    if (containerWorkingDir != null && !containerWorkingDir.isEmpty()) {
      return containerWorkingDir;
    }
    return image.workingDir().isEmpty() ? "/" : image.workingDir();
  }

  /**
   * Kubernetes' variable expansion: {@code $(NAME)} becomes NAME's value when it is defined and stays
   * as written when it is not; {@code $$} is an escaped {@code $} (so {@code $$(NAME)} gives the
   * literal {@code $(NAME)}); any other {@code $} is kept.
   */
  public static String expand(String input, Map<String, String> env) {
    StringBuilder out = new StringBuilder();
    int checkpoint = 0;
    for (int cursor = 0; cursor < input.length(); cursor++) {
      if (input.charAt(cursor) == '$' && cursor + 1 < input.length()) {
        out.append(input, checkpoint, cursor);
        char next = input.charAt(cursor + 1);
        int advance = 1;
        if (next == '$') {
          out.append('$');
        } else if (next == '(') {
          int close = input.indexOf(')', cursor + 2);
          if (close < 0) {
            out.append("$(");
          } else {
            String name = input.substring(cursor + 2, close);
            String value = env.get(name);
            out.append(value != null ? value : "$(" + name + ")");
            advance = close - cursor;
          }
        } else {
          out.append('$').append(next);
        }
        cursor += advance;
        checkpoint = cursor + 1;
      }
    }
    return out.append(input.substring(checkpoint)).toString();
  }
}
