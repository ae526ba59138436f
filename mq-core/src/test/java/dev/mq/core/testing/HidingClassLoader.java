package dev.mq.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * A class loader on which some packages are absent, as on an application's class path without an
 * optional library: it defines mq-core's own classes itself (so that what they load goes through it)
 * and refuses every class under the hidden prefixes; everything else comes from the test's loader.
 */
public final class HidingClassLoader extends ClassLoader {

    private final List<String> hidden;

    public HidingClassLoader(String... hiddenPrefixes) {
        super(HidingClassLoader.class.getClassLoader());
        this.hidden = List.of(hiddenPrefixes);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            if (hidden.stream().anyMatch(name::startsWith)) {
                throw new ClassNotFoundException(name + " (hidden)");
            }
            if (!name.startsWith("dev.mq.core.")) {
                return super.loadClass(name, resolve);
            }
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                loaded = define(name);
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    private Class<?> define(String name) throws ClassNotFoundException {
        try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
            if (in == null) {
                throw new ClassNotFoundException(name);
            }
            byte[] bytes = in.readAllBytes();
            return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }
}
