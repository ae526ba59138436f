package dev.mq.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/** Where the benchmark's own code is, for the classpaths of its child JVMs. */
final class Classpaths {

    private static final String OWN_PACKAGE = "dev/mq/benchmarks/";

    private Classpaths() {
    }

    /** The classpath this JVM runs on: the executable jar, or the build's classpath in a test. */
    static String self() {
        Path location = location();
        if (Files.isRegularFile(location)) {
            return location.toString();
        }
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    /**
     * A directory holding only this module's classes (no Netty, no mq-core): for a JVM whose other
     * classes come from elsewhere, such as Apache's client on its own classpath. Extracted into
     * {@code scratch} when running from the executable jar.
     */
    static Path ownClassesOnly(Path scratch) {
        Path location = location();
        if (Files.isDirectory(location)) {
            return location;
        }
        Path target = scratch.resolve("bench-classes");
        try (JarFile jar = new JarFile(location.toFile())) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (entry.isDirectory() || !entry.getName().startsWith(OWN_PACKAGE)) {
                    continue;
                }
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IllegalStateException("unexpected entry " + entry.getName());
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = jar.getInputStream(entry)) {
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the benchmark's classes from " + location, e);
        }
    }

    private static Path location() {
        try {
            return Paths.get(Classpaths.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
