package org.tcpsplice.bundlecheck;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The framework properties Karaf 4.2.9 gives Felix, read from Karaf's own {@code etc/config.properties}
 * and {@code etc/jre.properties} (in {@code org.apache.karaf.features:base}), with the variables
 * resolved as Karaf resolves them for a given Java version: system packages, extra packages and
 * capabilities (the execution environment among them).
 */
final class KarafFrameworkProperties {
    private static final Pattern INNERMOST_VARIABLE = Pattern.compile("\\$\\{([^${}]+)}");
    private static final String[] FRAMEWORK_KEYS = {"org.osgi.framework.system.packages",
        "org.osgi.framework.system.packages.extra", "org.osgi.framework.system.capabilities"};

    private KarafFrameworkProperties() {
    }

    static Map<String, String> forJava(String javaSpecificationVersion) throws IOException {
        Properties karaf = new Properties();
        load(karaf, "resources/etc/config.properties");
        load(karaf, "resources/etc/jre.properties");
        karaf.setProperty("java.specification.version", javaSpecificationVersion);
        Map<String, String> framework = new HashMap<>();
        for (String key : FRAMEWORK_KEYS) {
            framework.put(key, resolve(karaf.getProperty(key), karaf));
        }
        return framework;
    }

    private static void load(Properties into, String resource) throws IOException {
        URL url = KarafFrameworkProperties.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IOException(resource + " is not on the class path (org.apache.karaf.features:base)");
        }
        try (InputStream in = url.openStream()) {
            into.load(in);
        }
    }

    /** Replaces variables from the inside out, as in {@code ${jre-${java.specification.version}}}. */
    private static String resolve(String value, Properties karaf) {
        String v = value;
        for (Matcher m = INNERMOST_VARIABLE.matcher(v); m.find(); m = INNERMOST_VARIABLE.matcher(v)) {
            String replacement = karaf.getProperty(m.group(1));
            if (replacement == null) {
                throw new IllegalStateException("Karaf property ${" + m.group(1) + "} is not defined");
            }
            v = v.substring(0, m.start()) + replacement.trim() + v.substring(m.end());
        }
        return v;
    }
}
