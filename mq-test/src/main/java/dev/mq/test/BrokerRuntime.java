package dev.mq.test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The classpath of the child JVMs that run the real RocketMQ NameServer and Broker.
 *
 * <p>{@code mq-test-broker} records, at build time, the broker's own resolved dependencies relative to
 * the local Maven repository. This class turns that list into real paths and adds the launcher's
 * own classes. Nothing is resolved or downloaded at test time.
 */
final class BrokerRuntime {

    static final String MAIN_CLASS = "dev.mq.test.broker.NodeMain";
    private static final String CLASSPATH_RESOURCE = "META-INF/mq-test-broker/classpath.txt";
    private static final String PROPERTIES_RESOURCE = "mq-test-broker.properties";
    private static final String REPO_PLACEHOLDER = "@M2@";

    private final String classpath;
    private final String rocketmqVersion;

    private BrokerRuntime(String classpath, String rocketmqVersion) {
        this.classpath = classpath;
        this.rocketmqVersion = rocketmqVersion;
    }

    static BrokerRuntime load() {
        ClassLoader loader = BrokerRuntime.class.getClassLoader();
        Properties properties = new Properties();
        String recorded;
        try (InputStream props = loader.getResourceAsStream(PROPERTIES_RESOURCE);
             InputStream list = loader.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (props == null || list == null) {
                throw new IllegalStateException("mq-test-broker is not on the classpath: add dev.mq:mq-test-broker");
            }
            properties.load(props);
            recorded = new String(list.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path repository = localRepository(properties.getProperty("local.repository"));
        List<String> entries = new ArrayList<>();
        entries.add(launcherLocation(loader).toString());
        for (String entry : recorded.split(File.pathSeparator)) {
            Path jar = Paths.get(entry.trim().replace(REPO_PLACEHOLDER, repository.toString()));
            if (!jar.toFile().isFile()) {
                throw new IllegalStateException("broker dependency " + jar + " is missing from the local Maven "
                        + "repository; rebuild mq-test-broker (mvn install) or set -Dmaven.repo.local");
            }
            entries.add(jar.toString());
        }
        return new BrokerRuntime(String.join(File.pathSeparator, entries), properties.getProperty("rocketmq.version"));
    }

    private static Path localRepository(String recordedAtBuild) {
        String configured = System.getProperty("maven.repo.local");
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        if (recordedAtBuild != null && !recordedAtBuild.isBlank() && new File(recordedAtBuild).isDirectory()) {
            return Paths.get(recordedAtBuild);
        }
        return Paths.get(System.getProperty("user.home"), ".m2", "repository");
    }

    /** The directory or jar holding the launcher, found without loading it (it needs RocketMQ). */
    private static Path launcherLocation(ClassLoader loader) {
        String resource = MAIN_CLASS.replace('.', '/') + ".class";
        URL url = loader.getResource(resource);
        if (url == null) {
            throw new IllegalStateException("launcher " + MAIN_CLASS + " not found: add dev.mq:mq-test-broker");
        }
        try {
            String spec = url.toString();
            if (spec.startsWith("jar:")) {
                return Paths.get(URI.create(spec.substring(4, spec.indexOf("!/"))));
            }
            Path classFile = Paths.get(url.toURI());
            Path root = classFile;
            for (int i = 0; i < resource.split("/").length; i++) {
                root = root.getParent();
            }
            return root;
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot locate " + MAIN_CLASS + " from " + url, e);
        }
    }

    String classpath() {
        return classpath;
    }

    String rocketmqVersion() {
        return rocketmqVersion;
    }
}
