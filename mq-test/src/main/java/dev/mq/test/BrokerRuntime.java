package dev.mq.test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The classpath of the child JVMs that run the real RocketMQ NameServer and Broker.
 *
 * <p>{@code mq-test-broker} records, at build time, the broker's own resolved dependencies relative to
 * the local Maven repository. This class turns that list into real paths and adds the launcher's
 * own classes. Nothing is resolved or downloaded at test time.
 */
final class BrokerRuntime {

    static final String MAIN_CLASS = "dev.mq.test.broker.NodeMain";
    private static final String LAUNCHER_PACKAGE = "dev/mq/test/broker/";
    private static final String LAUNCHER_LOGBACK = "mq-test-broker-logback.xml";
    private static final String CLASSPATH_RESOURCE = "META-INF/mq-test-broker/classpath.txt";
    private static final String PROPERTIES_RESOURCE = "mq-test-broker.properties";
    private static final String REPO_PLACEHOLDER = "@M2@";

    private final String classpath;
    private final String rocketmqVersion;

    private BrokerRuntime(String classpath, String rocketmqVersion) {
        this.classpath = classpath;
        this.rocketmqVersion = rocketmqVersion;
    }

    /**
     * The launcher followed by the broker's dependencies.
     *
     * @param scratch a directory owned by the caller, used when the launcher has to be extracted
     *                from a larger jar (see {@link #launcherLocation})
     */
    static BrokerRuntime load(Path scratch) {
        ClassLoader loader = BrokerRuntime.class.getClassLoader();
        Properties properties = properties(loader);
        List<String> entries = new ArrayList<>();
        entries.add(launcherLocation(loader.getResource(MAIN_CLASS.replace('.', '/') + ".class"), scratch).toString());
        for (Path jar : libraries(loader, properties)) {
            entries.add(jar.toString());
        }
        return new BrokerRuntime(String.join(File.pathSeparator, entries), properties.getProperty("rocketmq.version"));
    }

    /** The broker's dependency jars (RocketMQ and its own versions of Netty, fastjson, ...), without the launcher. */
    static List<Path> libraries() {
        ClassLoader loader = BrokerRuntime.class.getClassLoader();
        return libraries(loader, properties(loader));
    }

    private static Properties properties(ClassLoader loader) {
        Properties properties = new Properties();
        try (InputStream props = loader.getResourceAsStream(PROPERTIES_RESOURCE)) {
            if (props == null) {
                throw new IllegalStateException("mq-test-broker is not on the classpath: add dev.mq:mq-test-broker");
            }
            properties.load(props);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static List<Path> libraries(ClassLoader loader, Properties properties) {
        String recorded;
        try (InputStream list = loader.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (list == null) {
                throw new IllegalStateException("mq-test-broker is not on the classpath: add dev.mq:mq-test-broker");
            }
            recorded = new String(list.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path repository = localRepository(properties.getProperty("local.repository"));
        List<Path> jars = new ArrayList<>();
        for (String entry : recorded.split(File.pathSeparator)) {
            Path jar = Paths.get(entry.trim().replace(REPO_PLACEHOLDER, repository.toString()));
            if (!jar.toFile().isFile()) {
                throw new IllegalStateException("broker dependency " + jar + " is missing from the local Maven "
                        + "repository; rebuild mq-test-broker (mvn install) or set -Dmaven.repo.local");
            }
            jars.add(jar);
        }
        return jars;
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

    /**
     * The directory or jar holding the launcher, found without loading it (it needs RocketMQ).
     *
     * <p>The launcher's location goes first on the child's classpath. That is right for the
     * {@code mq-test-broker} jar or classes directory, but not when the launcher was repackaged into a
     * larger jar (a shaded, executable jar of a tool that uses {@link EmbeddedRocketMQ}): such a jar
     * carries the tool's own dependencies — Netty 4.2, for one — and would shadow the broker's. The
     * launcher's classes and its logging configuration are then extracted into {@code scratch} and
     * that directory is used instead.
     */
    static Path launcherLocation(URL url, Path scratch) {
        if (url == null) {
            throw new IllegalStateException("launcher " + MAIN_CLASS + " not found: add dev.mq:mq-test-broker");
        }
        try {
            String spec = url.toString();
            if (spec.startsWith("jar:")) {
                Path jar = Paths.get(URI.create(spec.substring(4, spec.indexOf("!/"))));
                return holdsOnlyTheLauncher(jar) ? jar : extractLauncher(jar, scratch.resolve("mq-test-broker-launcher"));
            }
            Path root = Paths.get(url.toURI());
            for (int i = 0; i < MAIN_CLASS.split("\\.").length; i++) {
                root = root.getParent();
            }
            return root;
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot locate " + MAIN_CLASS + " from " + url, e);
        }
    }

    /** Whether every class in {@code jar} is one of the launcher's (true for the mq-test-broker jar). */
    private static boolean holdsOnlyTheLauncher(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (name.endsWith(".class") && !name.startsWith(LAUNCHER_PACKAGE)) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
    }

    private static Path extractLauncher(Path jar, Path target) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || !(name.startsWith(LAUNCHER_PACKAGE) || name.equals(LAUNCHER_LOGBACK))) {
                    continue;
                }
                Path out = target.resolve(name).normalize();
                if (!out.startsWith(target)) {
                    throw new IllegalStateException("unexpected entry " + name + " in " + jar);
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the broker launcher from " + jar, e);
        }
    }

    String classpath() {
        return classpath;
    }

    String rocketmqVersion() {
        return rocketmqVersion;
    }
}
