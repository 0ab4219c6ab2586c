package io.pekkube.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Command resolution and $(VAR) expansion, as tables (cases from the Kubernetes docs and expansion tests). */
class ContainerCommandTest {
  private static final List<String> ENTRYPOINT = List.of("/ep-1");
  private static final List<String> CMD = List.of("foo", "bar");
  private static final Map<String, String> ENV = Map.of("VAR_A", "A", "VAR_B", "B", "VAR_EMPTY", "", "MESSAGE", "hello world");

  static Stream<Arguments> commands() {
    return Stream.of(
        // command, args, image entrypoint, image cmd, expected
        Arguments.of(List.of(), List.of(), ENTRYPOINT, CMD, List.of("/ep-1", "foo", "bar")),
        Arguments.of(List.of("/ep-2"), List.of(), ENTRYPOINT, CMD, List.of("/ep-2")),
        Arguments.of(List.of(), List.of("zoo", "boo"), ENTRYPOINT, CMD, List.of("/ep-1", "zoo", "boo")),
        Arguments.of(List.of("/ep-2"), List.of("zoo", "boo"), ENTRYPOINT, CMD, List.of("/ep-2", "zoo", "boo")),
        Arguments.of(List.of(), List.of(), List.of(), List.of("sh"), List.of("sh")),
        Arguments.of(List.of(), List.of("-c", "echo hi"), List.of(), List.of("sh"), List.of("-c", "echo hi")),
        Arguments.of(List.of(), List.of(), List.of(), List.of(), List.of()),
        Arguments.of(List.of("echo"), List.of("$(MESSAGE)", "$$(MESSAGE)", "$(UNSET)"), ENTRYPOINT, CMD,
            List.of("echo", "hello world", "$(MESSAGE)", "$(UNSET)")),
        // The image's own entrypoint and cmd are taken literally.
        Arguments.of(List.of(), List.of(), List.of("$(VAR_A)"), CMD, List.of("$(VAR_A)", "foo", "bar")));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void resolvesCommandAndArgsAgainstTheImage(List<String> command, List<String> args, List<String> entrypoint,
      List<String> cmd, List<String> expected) {
    assertEquals(expected, ContainerCommand.resolve(command, args, entrypoint, cmd, ENV));
  }

  @org.junit.jupiter.api.Test
  void theWorkingDirComesFromTheContainerThenTheImageThenRoot() {
    var nginx = new ContainerRuntime.ImageConfig(List.of(), List.of("python3"), "/usr/share/nginx/html", "");
    var bare = new ContainerRuntime.ImageConfig(List.of(), List.of("sh"), "", "");
    assertEquals("/app", ContainerCommand.workingDir("/app", nginx));
    assertEquals("/usr/share/nginx/html", ContainerCommand.workingDir("", nginx));
    assertEquals("/", ContainerCommand.workingDir("", bare));
    assertEquals(List.of("python3"), ContainerCommand.resolve(List.of(), List.of(), nginx, ENV));
  }

  static Stream<Arguments> expansions() {
    return Stream.of(
        Arguments.of("$(VAR_A)", "A"),
        Arguments.of("___$(VAR_B)___", "___B___"),
        Arguments.of("$(VAR_A)-$(VAR_B)", "A-B"),
        Arguments.of("$(VAR_EMPTY)", ""),
        Arguments.of("$(UNKNOWN)", "$(UNKNOWN)"),
        Arguments.of("$$(VAR_A)", "$(VAR_A)"),
        Arguments.of("$$$(VAR_A)", "$A"),
        Arguments.of("$$$$(VAR_A)", "$$(VAR_A)"),
        Arguments.of("$$", "$"),
        Arguments.of("$", "$"),
        Arguments.of("foo$", "foo$"),
        Arguments.of("$VAR_A", "$VAR_A"),
        Arguments.of("$(VAR_A", "$(VAR_A"),
        Arguments.of("$()", "$()"),
        Arguments.of("f000-$$VAR_A", "f000-$VAR_A"),
        Arguments.of("$(VAR_A)$(VAR_B)$", "AB$"),
        Arguments.of("no references", "no references"),
        Arguments.of("", ""));
  }

  @ParameterizedTest
  @MethodSource("expansions")
  void expandsReferencesLikeKubernetes(String input, String expected) {
    assertEquals(expected, ContainerCommand.expand(input, ENV));
  }
}
