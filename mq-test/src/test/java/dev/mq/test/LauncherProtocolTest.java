package dev.mq.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.test.launcher.Node;
import dev.mq.test.launcher.NodeLauncher;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The child's side of the line protocol, which both launchers compile from the same source (its
 * classes need no RocketMQ, so they load here).
 */
class LauncherProtocolTest {

    private final List<String> events = new ArrayList<>();
    private final Node node = new Node() {
        @Override
        public void start() {
        }

        @Override
        public String handle(String[] command) throws Exception {
            if (command[0].equals("ADD")) {
                return String.valueOf(Integer.parseInt(command[1]) + Integer.parseInt(command[2]));
            }
            return Node.super.handle(command);
        }

        @Override
        public void shutdown() {
            events.add("shutdown");
        }
    };

    @Test
    void answersEachCommandAndStopsOnStopWithBlanksAroundIt() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        boolean stopped = NodeLauncher.serve(node, new BufferedReader(new StringReader(
                "PING\n\n  ADD 1   2 \nNOPE\n  STOP \nPING\n")), new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(stopped).isTrue();
        assertThat(events).containsExactly("shutdown");
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "@@mq OK PONG",
                "@@mq OK 3",
                "@@mq ERR java.lang.IllegalArgumentException: unknown command NOPE",
                "@@mq STOPPED");
    }

    @Test
    void theEndOfInputLeavesTheNodeToTheCaller() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        boolean stopped = NodeLauncher.serve(node, new BufferedReader(new StringReader("PING\n")),
                new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(stopped).isFalse();
        assertThat(events).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly("@@mq OK PONG");
    }
}
