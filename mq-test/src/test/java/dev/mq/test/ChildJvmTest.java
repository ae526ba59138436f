package dev.mq.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The parent's side of the line protocol, against a small child that speaks it. */
class ChildJvmTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void returnsTheReadyDetailsAndTheTextAfterOk() {
        try (ChildJvm child = start("ready port=7")) {
            assertThat(child.awaitReady(TIMEOUT)).isEqualTo("port=7");
            assertThat(child.call("ECHO a b", TIMEOUT)).isEqualTo("a b");
            assertThat(child.call("ECHO", TIMEOUT)).isEmpty();
        }
    }

    @Test
    void anErrNamesTheVerbAndTheReasonButNotTheRestOfTheLine() {
        try (ChildJvm child = start("ready")) {
            child.awaitReady(TIMEOUT);
            assertThatThrownBy(() -> child.call("FAIL secret-key", TIMEOUT))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("echo: FAIL failed: broken on purpose")
                    .hasMessageNotContaining("secret-key");
            assertThat(child.call("ECHO still there", TIMEOUT)).isEqualTo("still there");
        }
    }

    @Test
    void aFailedStartQuotesTheChildsLog() {
        ChildJvm child = start("fail");
        assertThatThrownBy(() -> child.awaitReady(TIMEOUT))
                .hasMessageContaining("did not start: FAILED no luck")
                .hasMessageContaining("printed on stderr");
        child.kill();
    }

    @Test
    @Timeout(60)
    void aChildThatExitsFailsEveryLaterCallAtOnce() {
        ChildJvm child = start("ready");
        child.awaitReady(TIMEOUT);
        assertThatThrownBy(() -> child.call("EXIT", TIMEOUT)).hasMessageContaining("exited while waiting for EXIT");
        assertThatThrownBy(() -> child.call("ECHO x", Duration.ofMinutes(10))).isInstanceOf(IllegalStateException.class);
        child.close();
        assertThat(child.isAlive()).isFalse();
    }

    @Test
    void closeEndsTheChildsInputAndStopSendsItsCommandFirst() {
        ChildJvm closed = start("ready");
        closed.awaitReady(TIMEOUT);
        closed.close();
        assertThat(closed.isAlive()).isFalse();

        ChildJvm stopped = start("ready");
        stopped.awaitReady(TIMEOUT);
        stopped.stop("STOP", TIMEOUT);
        assertThat(stopped.isAlive()).isFalse();
        assertThat(stopped.log()).content().contains("stopping");
    }

    private ChildJvm start(String mode) {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return ChildJvm.builder("echo", Echo.class.getName())
                .classpath(classpath)
                .jvmOptions(List.of("-Xmx32m", "-XX:TieredStopAtLevel=1"))
                .arguments(List.of(mode.split(" ")))
                .replyPrefix("@@echo ")
                .log(dir.resolve("logs/echo.log"))
                .start();
    }

    /** A child of the protocol: {@code ECHO text}, {@code FAIL}, {@code EXIT}, {@code STOP}; exits at end of input. */
    public static final class Echo {

        public static void main(String[] args) throws Exception {
            PrintStream out = System.out;
            out.println("noise that is not a reply");
            if (args[0].equals("fail")) {
                System.err.println("printed on stderr");
                out.println("@@echo FAILED no luck");
                System.exit(2);
            }
            out.println("@@echo READY" + (args.length > 1 ? " " + args[1] : ""));
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String[] words = line.split(" ", 2);
                switch (words[0]) {
                    case "ECHO" -> out.println("@@echo OK" + (words.length > 1 ? " " + words[1] : ""));
                    case "FAIL" -> out.println("@@echo ERR broken on purpose");
                    case "EXIT" -> System.exit(1);
                    case "STOP" -> {
                        System.err.println("stopping");
                        System.exit(0);
                    }
                    default -> out.println("@@echo ERR unknown " + words[0]);
                }
            }
        }
    }
}
