package dev.mq.test;

import dev.mq.test.launcher.NodeLauncher;
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
 * How to start the child JVMs that run the real RocketMQ NameServer and Broker of one release line:
 * classpath, launcher class and the JVM flags that line needs. The only class that knows how the
 * lines differ.
 *
 * <p>Each launcher module ({@code mq-test-broker} for 5.x, {@code mq-test-broker-4} for 4.9) records,
 * at build time, the broker's own resolved dependencies relative to the local Maven repository. This
 * class turns that list into real paths and adds the launcher's own classes. Nothing is resolved or
 * downloaded at test time.
 */
final class BrokerRuntime {

    private static final String REPO_PLACEHOLDER = "@M2@";

    /** The launcher's RocketMQ-free classes, compiled into each launcher module next to its own package. */
    private static final String SHARED_LAUNCHER_PACKAGE = "dev/mq/test/launcher/";

    /**
     * RocketMQ 4.x frees mapped store files and direct buffers through JDK internals (the buffer's
     * cleaner, {@code jdk.internal.ref.Cleaner}, {@code sun.nio.ch.DirectBuffer}); on Java 17 they
     * must be opened to the unnamed module. 5.x needs none of them.
     */
    private static final List<String> JDK17_OPENS_FOR_4X = List.of(
            "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED");

    private final RocketMQVersion version;
    private final String module;
    private final String mainClass;
    private final List<String> jvmOptions;
    private final String classpath;
    private final String rocketmqVersion;

    private BrokerRuntime(RocketMQVersion version, String module, String mainClass, List<String> jvmOptions,
                          String classpath, String rocketmqVersion) {
        this.version = version;
        this.module = module;
        this.mainClass = mainClass;
        this.jvmOptions = jvmOptions;
        this.classpath = classpath;
        this.rocketmqVersion = rocketmqVersion;
    }

    /**
     * The runtime of {@code version}.
     *
     * @param scratch a directory owned by the caller, used when the launcher has to be extracted
     *                from a larger jar (see {@link #launcherLocation})
     */
    static BrokerRuntime load(RocketMQVersion version, Path scratch) {
        return switch (version) {
            // 5.x logs through its own shaded logback, which reads rmq.logback.configurationFile.
            case V5 -> load(version, "mq-test-broker", "dev.mq.test.broker.NodeMain", "mq-test-broker-logback.xml",
                    List.of("-Drmq.logback.configurationFile=mq-test-broker-logback.xml"), scratch);
            // 4.9 logs through plain slf4j + logback 1.2.
            case V4_9 -> {
                List<String> options = new ArrayList<>(JDK17_OPENS_FOR_4X);
                options.add("-Dlogback.configurationFile=mq-test-broker-4-logback.xml");
                yield load(version, "mq-test-broker-4", "dev.mq.test.broker4.NodeMain",
                        "mq-test-broker-4-logback.xml", options, scratch);
            }
        };
    }

    /**
     * The dependency jars of the 5.x runtime (RocketMQ and its own versions of Netty, fastjson,
     * {@code rocketmq-client}, ...), without the launcher.
     */
    static List<Path> libraries() {
        ClassLoader loader = BrokerRuntime.class.getClassLoader();
        return libraries(loader, "mq-test-broker", properties(loader, "mq-test-broker"));
    }

    private static BrokerRuntime load(RocketMQVersion version, String module, String mainClass, String logback,
                                      List<String> jvmOptions, Path scratch) {
        ClassLoader loader = BrokerRuntime.class.getClassLoader();
        Properties properties = properties(loader, module);
        List<String> entries = new ArrayList<>();
        entries.add(launcherLocation(loader.getResource(mainClass.replace('.', '/') + ".class"), mainClass, module,
                logback, scratch).toString());
        for (Path jar : libraries(loader, module, properties)) {
            entries.add(jar.toString());
        }
        return new BrokerRuntime(version, module, mainClass, List.copyOf(jvmOptions),
                String.join(File.pathSeparator, entries), properties.getProperty("rocketmq.version"));
    }

    private static Properties properties(ClassLoader loader, String module) {
        Properties properties = new Properties();
        try (InputStream props = loader.getResourceAsStream(module + ".properties")) {
            if (props == null) {
                throw new IllegalStateException(module + " is not on the classpath: add dev.mq:" + module);
            }
            properties.load(props);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static List<Path> libraries(ClassLoader loader, String module, Properties properties) {
        String recorded;
        try (InputStream list = loader.getResourceAsStream("META-INF/" + module + "/classpath.txt")) {
            if (list == null) {
                throw new IllegalStateException(module + " is not on the classpath: add dev.mq:" + module);
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
                        + "repository; rebuild " + module + " (mvn install) or set -Dmaven.repo.local");
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
     * <p>The launcher's location goes first on the child's classpath. That is right for the launcher
     * module's own jar or classes directory, but not when the launcher was repackaged into a larger jar
     * (a shaded, executable jar of a tool that uses {@link EmbeddedRocketMQ}): such a jar carries the
     * tool's own dependencies — Netty 4.2, for one — and would shadow the broker's. The launcher's
     * classes (its own package and the shared {@code dev.mq.test.launcher}) and its logging
     * configuration are then extracted into {@code scratch} and that directory is used instead.
     */
    static Path launcherLocation(URL url, String mainClass, String module, String logback, Path scratch) {
        if (url == null) {
            throw new IllegalStateException("launcher " + mainClass + " not found: add dev.mq:" + module);
        }
        List<String> launcherPackages = List.of(
                mainClass.substring(0, mainClass.lastIndexOf('.') + 1).replace('.', '/'), SHARED_LAUNCHER_PACKAGE);
        try {
            String spec = url.toString();
            if (spec.startsWith("jar:")) {
                Path jar = Paths.get(URI.create(spec.substring(4, spec.indexOf("!/"))));
                return holdsOnly(jar, launcherPackages) ? jar
                        : extract(jar, launcherPackages, logback, scratch.resolve(module + "-launcher"));
            }
            Path root = Paths.get(url.toURI());
            for (int i = 0; i < mainClass.split("\\.").length; i++) {
                root = root.getParent();
            }
            return root;
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot locate " + mainClass + " from " + url, e);
        }
    }

    /** Whether every class in {@code jar} is in one of {@code launcherPackages} (true for the launcher module's jar). */
    private static boolean holdsOnly(Path jar, List<String> launcherPackages) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (name.endsWith(".class") && !inAny(name, launcherPackages)) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
    }

    private static boolean inAny(String entry, List<String> packages) {
        return packages.stream().anyMatch(entry::startsWith);
    }

    private static Path extract(Path jar, List<String> launcherPackages, String logback, Path target) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || !(inAny(name, launcherPackages) || name.equals(logback))) {
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

    /**
     * Starts one node of this line in a child JVM: {@code NodeMain <arguments>} with {@code home} as its
     * working directory, user home and RocketMQ home, and its stderr in {@code home/node.log}. The node
     * speaks the launchers' line protocol ({@code NodeLauncher}); wait for it with
     * {@link ChildJvm#awaitReady}.
     */
    ChildJvm launch(String name, Path home, List<String> nodeJvmOptions, List<String> arguments) {
        List<String> options = new ArrayList<>(nodeJvmOptions);
        options.add("-XX:-UsePerfData");
        options.add("-Djava.net.preferIPv4Stack=true");
        options.add("-Duser.home=" + home);
        options.add("-Dmq.node.home=" + home);
        options.add("-Drocketmq.home.dir=" + home);
        options.addAll(jvmOptions);
        return ChildJvm.builder(name, mainClass)
                .classpath(classpath)
                .jvmOptions(options)
                .arguments(arguments)
                .workingDirectory(home)
                .log(home.resolve("node.log"))
                .replyPrefix(NodeLauncher.CONTROL_PREFIX)
                .start();
    }

    RocketMQVersion version() {
        return version;
    }

    /** The launcher class the child JVM runs. */
    String mainClass() {
        return mainClass;
    }

    /** JVM options this release line needs on top of heap settings (module opens, logging). */
    List<String> jvmOptions() {
        return jvmOptions;
    }

    String classpath() {
        return classpath;
    }

    /** The exact RocketMQ release, e.g. {@code 5.5.0} or {@code 4.9.7}. */
    String rocketmqVersion() {
        return rocketmqVersion;
    }

    @Override
    public String toString() {
        return module + " (RocketMQ " + rocketmqVersion + ")";
    }
}
