package org.tcpsplice.bundlecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Installs the app's bundle into Felix 5.6.12 configured as Karaf 4.2.9 configures it on Java 11 (what
 * ONOS 2.7 runs), beside ONOS 2.7's bundles and the third-party bundles they need at ONOS 2.7's pinned
 * versions (the jars in {@code target/onos-runtime}, see the pom), and asks the resolver to wire it.
 * Unsatisfied imports or capabilities fail the test with Felix's own message. It prints which bundle
 * each import is wired to, so a package satisfied by something ONOS would not ship is visible.
 */
class OnosBundleResolutionTest {
    private static final String APP = "org.tcpsplice.onos-app";

    @TempDir
    Path storage;
    private Framework framework;

    @AfterEach
    void stop() throws Exception {
        if (framework != null) {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    @Test
    void theAppBundleResolvesAgainstOnos27() throws Exception {
        Map<String, String> config = new HashMap<>(KarafFrameworkProperties.forJava("11"));
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        framework = new FrameworkFactory().newFramework(config);
        framework.start(); // the framework only: installed bundles are not started

        Bundle app = null;
        List<String> skipped = new ArrayList<>();
        for (Path jar : runtimeJars()) {
            String name = symbolicName(jar);
            if (name == null) {
                skipped.add(jar.getFileName().toString()); // a plain jar
                continue;
            }
            Bundle b = framework.getBundleContext().installBundle(jar.toUri().toString());
            if (APP.equals(b.getSymbolicName())) {
                app = b;
            }
        }
        assertNotNull(app, "the app bundle (" + APP + ") is among the jars");
        System.out.println("not bundles, not installed: " + skipped);

        framework.adapt(FrameworkWiring.class).resolveBundles(List.of(app));
        if (app.getState() != Bundle.RESOLVED) {
            try {
                app.start(); // resolves again and throws Felix's message naming the missing requirement
            } catch (BundleException e) {
                fail("the app bundle does not resolve in ONOS 2.7's framework: " + e.getMessage());
            }
        }
        assertEquals(Bundle.RESOLVED, app.getState(), "resolved");

        Map<String, String> providers = new TreeMap<>();
        for (BundleWire w : app.adapt(BundleWiring.class).getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
            Bundle p = w.getProvider().getBundle();
            providers.put((String) w.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE),
                    p.getBundleId() == 0 ? "the JRE (Karaf's jre-11 list)" : p.getSymbolicName() + " " + p.getVersion());
        }
        System.out.println("the app's imports are wired to:");
        providers.forEach((pkg, provider) -> System.out.println("  " + pkg + " <- " + provider));
    }

    private static List<Path> runtimeJars() throws IOException {
        Path dir = Paths.get(System.getProperty("onos.runtime.dir", "target/onos-runtime"));
        List<Path> jars = new ArrayList<>();
        try (var files = Files.list(dir)) {
            files.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(jars::add);
        }
        if (jars.isEmpty()) {
            throw new IOException("no jars in " + dir + " (run through Maven: the pom copies them there)");
        }
        return jars;
    }

    private static String symbolicName(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            Manifest m = j.getManifest();
            return m == null ? null : m.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
        }
    }
}
