package dev.mq.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerRuntimeTest {

    private static final String LAUNCHER = "dev/mq/test/broker/NodeMain.class";
    private static final String MAIN = "dev.mq.test.broker.NodeMain";
    private static final String LOGBACK = "mq-test-broker-logback.xml";

    @TempDir
    Path dir;

    @Test
    void usesTheLauncherJarItselfWhenItHoldsOnlyTheLauncher() throws IOException {
        Path jar = jar("mq-test-broker.jar", List.of(LAUNCHER, "dev/mq/test/broker/Node.class",
                "mq-test-broker-logback.xml", "META-INF/mq-test-broker/classpath.txt"));

        Path location = BrokerRuntime.launcherLocation(url(jar), MAIN, "mq-test-broker", LOGBACK, dir.resolve("scratch"));

        assertThat(location).isEqualTo(jar);
        assertThat(dir.resolve("scratch")).doesNotExist();
    }

    @Test
    void extractsTheLauncherFromALargerJarSoItsOtherClassesCannotShadowTheBrokers() throws IOException {
        Path jar = jar("tool-shaded.jar", List.of(LAUNCHER, "dev/mq/test/broker/Node.class",
                "mq-test-broker-logback.xml", "io/netty/channel/Channel.class", "dev/mq/core/Message.class"));

        Path location = BrokerRuntime.launcherLocation(url(jar), MAIN, "mq-test-broker", LOGBACK, dir.resolve("scratch"));

        assertThat(location).isDirectory().startsWith(dir.resolve("scratch"));
        assertThat(location.resolve(LAUNCHER)).hasContent(LAUNCHER);
        assertThat(location.resolve("dev/mq/test/broker/Node.class")).exists();
        assertThat(location.resolve("mq-test-broker-logback.xml")).exists();
        assertThat(location.resolve("io")).doesNotExist();
        assertThat(location.resolve("dev/mq/core")).doesNotExist();
    }

    @Test
    void theSharedLauncherClassesGoWithTheLauncher() throws IOException {
        String shared = "dev/mq/test/launcher/NodeLauncher.class";
        Path launcherJar = jar("mq-test-broker.jar", List.of(LAUNCHER, shared, "mq-test-broker-logback.xml"));
        Path shadedJar = jar("tool-shaded.jar", List.of(LAUNCHER, shared, "io/netty/channel/Channel.class"));

        assertThat(BrokerRuntime.launcherLocation(url(launcherJar), MAIN, "mq-test-broker", LOGBACK, dir.resolve("scratch")))
                .isEqualTo(launcherJar);
        Path extracted = BrokerRuntime.launcherLocation(url(shadedJar), MAIN, "mq-test-broker", LOGBACK, dir.resolve("scratch"));
        assertThat(extracted.resolve(shared)).hasContent(shared);
        assertThat(extracted.resolve("io")).doesNotExist();
    }

    @Test
    void usesTheClassesDirectoryOfAnUnpackagedLauncher() throws IOException {
        Path classFile = dir.resolve("classes").resolve(LAUNCHER);
        Files.createDirectories(classFile.getParent());
        Files.writeString(classFile, "x");

        assertThat(BrokerRuntime.launcherLocation(classFile.toUri().toURL(), MAIN, "mq-test-broker", LOGBACK, dir.resolve("scratch")))
                .isEqualTo(dir.resolve("classes"));
    }

    private Path jar(String name, List<String> entries) throws IOException {
        Path jar = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (String entry : entries) {
                out.putNextEntry(new JarEntry(entry));
                out.write(entry.getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static URL url(Path jar) throws IOException {
        return new URL("jar:" + jar.toUri() + "!/" + LAUNCHER);
    }
}
